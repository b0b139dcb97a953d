// "Keep both" for id masks: their stored mask with my unsaved pixel changes re-applied on top, for the
// instances they did not touch. Pure: typed arrays and plain objects, no DOM.
//
// An instance is touched by them when its pixels or its annotation differ between the label my edits
// started from (base) and theirs. One of my pixel changes (base id b -> my id m) is re-applied when neither
// b nor m is touched and their pixel is still b; an id both sides created is renamed first (merge.js
// collisionRenames), so my new instance keeps its pixels under a fresh id.

/**
 * Add to `into` every instance id (not 0) whose pixels differ between two masks of the same size.
 * @param {Uint32Array} before ids, row-major
 * @param {Uint32Array} after ids, same length
 * @param {Set<number>} [into]
 * @returns {Set<number>}
 */
export function pixelTouches(before, after, into = new Set()) {
  if (before.length !== after.length) throw new RangeError("The masks differ in size.");
  for (let pixel = 0; pixel < before.length; pixel += 1) {
    const was = before[pixel];
    const now = after[pixel];
    if (was === now) continue;
    if (was !== 0) into.add(was);
    if (now !== 0) into.add(now);
  }
  return into;
}

/**
 * Add to `into` the id (track_id, else id) of every annotation added, removed or changed between two lists.
 * @param {Array<any>|null|undefined} before
 * @param {Array<any>|null|undefined} after
 * @param {Set<number>} [into]
 * @returns {Set<number>}
 */
export function annotationTouches(before, after, into = new Set()) {
  const byId = (list) => new Map((list || []).map((annotation) => [annotation.track_id ?? annotation.id, JSON.stringify(annotation)]));
  const was = byId(before);
  const now = byId(after);
  for (const id of new Set([...was.keys(), ...now.keys()])) if (was.get(id) !== now.get(id)) into.add(id);
  return into;
}

/**
 * Their ids with my pixel changes since `base` re-applied where the instances involved are untouched.
 * @param {Uint32Array} base ids my edits started from
 * @param {Uint32Array} mine my unsaved ids
 * @param {Uint32Array} theirs their stored ids
 * @param {Set<number>} touched instance ids they touched (pixelTouches + annotationTouches)
 * @param {Map<number, number>} [renames] my id -> its new id (ids both sides created)
 * @returns {{ids: Uint32Array<ArrayBuffer>, applied: number, dropped: number}} the merged ids (a new array) and how many
 *   of my changed pixels were re-applied / left theirs
 */
export function mergeMaskIds(base, mine, theirs, touched, renames = new Map()) {
  if (base.length !== mine.length || base.length !== theirs.length) throw new RangeError("The masks differ in size.");
  const ids = new Uint32Array(theirs);
  let applied = 0;
  let dropped = 0;
  // Changed pixels come in runs of the same ids: the set and map lookups are remembered for the last ids.
  let lastWas = -1;
  let wasFree = false;
  let lastNow = -1;
  let target = 0;
  let targetFree = false;
  for (let pixel = 0; pixel < ids.length; pixel += 1) {
    const was = base[pixel];
    const now = mine[pixel];
    if (was === now) continue;
    if (was !== lastWas) {
      lastWas = was;
      wasFree = !touched.has(was);
    }
    if (now !== lastNow) {
      lastNow = now;
      target = renames.get(now) ?? now;
      targetFree = !touched.has(target);
    }
    if (!wasFree || !targetFree || theirs[pixel] !== was) {
      dropped += 1;
      continue;
    }
    ids[pixel] = target;
    applied += 1;
  }
  return { ids, applied, dropped };
}

/**
 * The instances after keep both: the merged ones (merge.js, already renamed), except that an instance they
 * touched is exactly theirs (kept even when I deleted it, gone when they have none).
 * @template {{id: number}} T
 * @param {T[]} merged instances of the merged label
 * @param {T[]} theirs instances of their label
 * @param {Set<number>} touched
 * @returns {T[]}
 */
export function mergeInstances(merged, theirs, touched) {
  const theirById = new Map(theirs.map((instance) => [instance.id, instance]));
  const result = merged
    .filter((instance) => !touched.has(instance.id) || theirById.has(instance.id))
    .map((instance) => structuredClone(touched.has(instance.id) ? theirById.get(instance.id) : instance));
  const present = new Set(result.map((instance) => instance.id));
  for (const instance of theirs) if (touched.has(instance.id) && !present.has(instance.id)) result.push(structuredClone(instance));
  return result;
}
