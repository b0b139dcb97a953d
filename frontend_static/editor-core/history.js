// One undo/redo history for every editor. An entry is whatever the editor can revert: a document snapshot
// (the vector editors: a label document is small, a deep copy per change is cheap and simple to get right) or
// a reversible change (the segmentation editor: a pixel diff with its instance lists).
//
// Snapshot mode: record(before); undo(current) returns the snapshot to restore and keeps `current` for redo.
// Change mode: record(change); undo() returns the change to revert (it moves to the redo stack as is).

export const DEFAULT_LIMIT = 200;

/** @template T */
export class History {
  /** @param {number} [limit] how many entries are kept (the oldest are dropped) */
  constructor(limit = DEFAULT_LIMIT) {
    this.limit = limit;
    /** @type {T[]} */
    this.past = [];
    /** @type {T[]} */
    this.future = [];
  }

  /** Remember one finished change (or the snapshot before it); a new change drops the redo stack. @param {T} entry */
  record(entry) {
    this.past.push(entry);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  /**
   * The entry to undo (null when there is nothing to undo). With `current` (snapshot mode) `current` becomes
   * redoable; without it, the returned entry itself does.
   * @param {T} [current]
   * @returns {T|null}
   */
  undo(current = undefined) {
    if (!this.past.length) return null;
    const entry = this.past.pop();
    this.future.push(current === undefined ? entry : current);
    return entry;
  }

  /** The entry to redo (null when none); the mirror of undo(). @param {T} [current] @returns {T|null} */
  redo(current = undefined) {
    if (!this.future.length) return null;
    const entry = this.future.pop();
    this.past.push(current === undefined ? entry : current);
    return entry;
  }

  get canUndo() {
    return this.past.length > 0;
  }

  get canRedo() {
    return this.future.length > 0;
  }

  clear() {
    this.past = [];
    this.future = [];
  }
}
