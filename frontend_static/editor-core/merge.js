// "Keep both" after a real conflict: my unsaved changes re-applied on top of the version someone else saved,
// for the objects they did not touch. A three-way merge by object id of label attributes (image labels with
// `annotations`, sequence labels with `frames[].annotations`); what both sides changed stays theirs.

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Merge lists of objects with an `id`: start from `theirs`, apply every object I added, changed or deleted
 * since `base` unless they changed that object too. Returns {items, conflicts: [id]} (conflicts kept theirs).
 * @template {{id: unknown}} T
 * @param {T[]} base
 * @param {T[]} mine
 * @param {T[]} theirs
 * @returns {{items: T[], conflicts: unknown[]}}
 */
export function mergeById(base, mine, theirs) {
  const key = (item) => String(item.id);
  const baseById = new Map(base.map((item) => [key(item), item]));
  const mineById = new Map(mine.map((item) => [key(item), item]));
  const items = theirs.map((item) => structuredClone(item));
  const position = new Map(items.map((item, index) => [key(item), index]));
  const conflicts = [];
  const theirsUntouched = (id) => {
    const before = baseById.get(id);
    const index = position.get(id);
    return before === undefined ? index === undefined : index !== undefined && same(items[index], before);
  };
  for (const [id, item] of mineById) {
    if (same(item, baseById.get(id))) continue; // I did not touch it
    if (!theirsUntouched(id)) {
      if (!(position.has(id) && same(items[position.get(id)], item))) conflicts.push(item.id);
      continue;
    }
    if (position.has(id)) items[position.get(id)] = structuredClone(item);
    else {
      position.set(id, items.length);
      items.push(structuredClone(item));
    }
  }
  const deleted = new Set([...baseById.keys()].filter((id) => !mineById.has(id)));
  const kept = items.filter((item) => {
    const id = key(item);
    if (!deleted.has(id)) return true;
    if (same(item, baseById.get(id))) return false;
    conflicts.push(item.id);
    return true;
  });
  return { items: kept, conflicts };
}

/** Merge plain objects key by key the same way (image attributes). */
function mergeKeys(base = {}, mine = {}, theirs = {}) {
  const result = structuredClone(theirs || {});
  const conflicts = [];
  for (const name of new Set([...Object.keys(base || {}), ...Object.keys(mine || {})])) {
    const before = (base || {})[name];
    const mineValue = (mine || {})[name];
    if (same(mineValue, before)) continue;
    if (!same(result[name], before)) {
      if (!same(result[name], mineValue)) conflicts.push(name);
      continue;
    }
    if (mineValue === undefined) delete result[name];
    else result[name] = structuredClone(mineValue);
  }
  return { value: result, conflicts };
}

/** @param {any} base @param {any} mine @param {any} theirs */
function mergeFrame(base = {}, mine = {}, theirs = {}) {
  const annotations = mergeById(base.annotations || [], mine.annotations || [], theirs.annotations || []);
  const attributes = mergeKeys(base.image_attributes, mine.image_attributes, theirs.image_attributes);
  const merged = { ...structuredClone(theirs), annotations: annotations.items };
  if (Object.keys(attributes.value).length) merged.image_attributes = attributes.value;
  else delete merged.image_attributes;
  return { merged, conflicts: [...annotations.conflicts, ...attributes.conflicts.map((name) => `image_attributes.${name}`)] };
}

function framesOf(label) {
  if (!label) return [];
  return Array.isArray(label.frames) ? label.frames : [label];
}

function idsOf(label) {
  const ids = new Set();
  for (const frame of framesOf(label)) for (const annotation of (frame && frame.annotations) || []) ids.add(annotation.track_id ?? annotation.id);
  return ids;
}

/**
 * The new ids of objects both sides added under the same id (two people drew "object 1"): Map my id -> a
 * fresh id above every id of both labels (the same in every frame). Editors that keep more than the label
 * attributes (the mask editors' pixels) rename with it too.
 * @param {any} base @param {any} mine @param {any} theirs label attributes (null = no label)
 * @returns {Map<any, number>}
 */
export function collisionRenames(base, mine, theirs) {
  const baseIds = idsOf(base);
  const theirIds = idsOf(theirs);
  const myIds = idsOf(mine);
  const colliding = [...myIds].filter((id) => !baseIds.has(id) && theirIds.has(id));
  let next = Math.max(0, ...[...theirIds, ...myIds].map(Number).filter(Number.isFinite)) + 1;
  return new Map(colliding.map((id) => [id, next++]));
}

/** My label with collisionRenames applied: my copy gets a new id (and track_id), so keeping both keeps both. */
function renumberCollisions(base, mine, theirs) {
  const renamed = collisionRenames(base, mine, theirs);
  if (!renamed.size) return mine;
  const copy = structuredClone(mine);
  for (const frame of framesOf(copy)) {
    for (const annotation of (frame && frame.annotations) || []) {
      const id = annotation.track_id ?? annotation.id;
      if (!renamed.has(id)) continue;
      annotation.id = renamed.get(id);
      if ("track_id" in annotation) annotation.track_id = renamed.get(id);
    }
  }
  return copy;
}

/**
 * Three-way merge of label attributes (null = no label). Returns {attributes, conflicts}; a conflict is an
 * object id (or "image_attributes.<name>", or "frame <n>: <id>") where both changed: theirs was kept.
 * @param {any} base the label my edits started from
 * @param {any} mine my unsaved label
 * @param {any} theirs the label stored meanwhile
 */
export function mergeLabels(base, mine, theirs) {
  const b = base || {};
  const m = renumberCollisions(base, mine, theirs) || {};
  const t = theirs || {};
  if (Array.isArray(m.frames) || Array.isArray(t.frames)) {
    const count = Math.max((m.frames || []).length, (t.frames || []).length);
    const conflicts = [];
    const frames = Array.from({ length: count }, (_, index) => {
      const { merged, conflicts: found } = mergeFrame((b.frames || [])[index], (m.frames || [])[index], (t.frames || [])[index]);
      conflicts.push(...found.map((id) => `frame ${index + 1}: ${id}`));
      return merged;
    });
    return { attributes: { ...structuredClone(t), ...(theirs ? {} : structuredClone(m)), frames }, conflicts };
  }
  const { merged, conflicts } = mergeFrame(b, m, t);
  return { attributes: { ...(theirs ? {} : structuredClone(m)), ...merged }, conflicts };
}
