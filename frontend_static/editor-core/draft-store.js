// Drafts too big for localStorage (an id mask as PNG bytes): one IndexedDB object store, key -> value.
// Every call resolves (null / false when IndexedDB is unavailable): drafts are a convenience.

const DATABASE = "labeling-drafts";
const STORE = "drafts";

function open() {
  return new Promise((resolve) => {
    if (typeof indexedDB === "undefined") {
      resolve(null);
      return;
    }
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
}

async function run(mode, action) {
  const database = await open();
  if (!database) return null;
  return new Promise((resolve) => {
    const transaction = database.transaction(STORE, mode);
    const request = action(transaction.objectStore(STORE));
    transaction.oncomplete = () => {
      database.close();
      resolve(request.result === undefined ? true : request.result);
    };
    transaction.onerror = () => {
      database.close();
      resolve(null);
    };
  });
}

/** The value stored under `key`, or null. */
export function readDraft(key) {
  return run("readonly", (store) => store.get(key)).then((value) => (value === true ? null : value ?? null));
}

/** Store `value` (structured-cloneable) under `key`. */
export function writeDraftValue(key, value) {
  return run("readwrite", (store) => store.put(value, key));
}

/** Forget `key`. */
export function deleteDraft(key) {
  return run("readwrite", (store) => store.delete(key));
}
