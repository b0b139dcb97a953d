// "Keep both" for the multi-sensor label (a pure function, no DOM): my unsaved changes re-applied on top of the
// version someone else saved. Each sensor's attributes merge with editor-core/merge.js mergeLabels (sensors
// matched by name, in their order); the links merge as a set keyed by the pair (from_id, to_id). Track ids are
// unique across the sample's sensors, so a track I added under an id they used meanwhile (in any sensor) is
// renumbered first, in my links too. A link whose ends are gone after the merge is dropped and reported.

import { mergeById, mergeLabels } from "../../editor-core/merge.js";

/** @typedef {import("./sensor-label.js").Link} Link */

/** A sensor's attributes, or null when unlabeled (`[]`, absent). */
function ownAttributes(entry) {
  const attributes = entry && entry.attributes;
  return attributes && typeof attributes === "object" && !Array.isArray(attributes) ? attributes : null;
}

function sensorsOf(label) {
  return Array.isArray(label?.sensors) ? label.sensors : [];
}

function linksOf(label) {
  return Array.isArray(label?.links) ? label.links : [];
}

function annotationsOf(attributes) {
  if (!attributes) return [];
  const frames = Array.isArray(attributes.frames) ? attributes.frames : [attributes];
  return frames.flatMap((frame) => (frame && frame.annotations) || []);
}

/**
 * Every track id of a multi-sensor label, over all sensors.
 * @param {any} label multi-sensor label attributes, or null
 * @returns {Set<number>}
 */
export function trackIdsOf(label) {
  const ids = new Set();
  for (const entry of sensorsOf(label)) {
    for (const annotation of annotationsOf(ownAttributes(entry))) ids.add(Number(annotation.track_id ?? annotation.id));
  }
  return ids;
}

/**
 * My label with the tracks I added under an id they also use (in any sensor) given fresh ids, in my links too.
 * @returns {any} a copy of `mine` (or `mine` itself when nothing collides)
 */
function renumberAcrossSensors(base, mine, theirs) {
  const baseIds = trackIdsOf(base);
  const theirIds = trackIdsOf(theirs);
  const myIds = trackIdsOf(mine);
  const colliding = [...myIds].filter((id) => !baseIds.has(id) && theirIds.has(id));
  if (!colliding.length) return mine;
  let next = Math.max(0, ...[...theirIds, ...myIds].filter(Number.isFinite)) + 1;
  const renamed = new Map(colliding.map((id) => [id, next++]));
  const copy = structuredClone(mine);
  for (const entry of sensorsOf(copy)) {
    for (const annotation of annotationsOf(ownAttributes(entry))) {
      const id = Number(annotation.track_id ?? annotation.id);
      if (!renamed.has(id)) continue;
      annotation.id = renamed.get(id);
      if ("track_id" in annotation) annotation.track_id = renamed.get(id);
    }
  }
  for (const link of linksOf(copy)) {
    if (renamed.has(link.from_id)) link.from_id = renamed.get(link.from_id);
    if (renamed.has(link.to_id)) link.to_id = renamed.get(link.to_id);
  }
  return copy;
}

/** Merge one sensor's attributes; an unlabeled sensor on every side stays `[]`. */
function mergeSensor(name, base, mine, theirs) {
  const [b, m, t] = [base, mine, theirs].map(ownAttributes);
  if (!m && !t) return { attributes: [], conflicts: [] };
  const { attributes, conflicts } = mergeLabels(b, m, t);
  return { attributes, conflicts: conflicts.map((conflict) => `${name} ${conflict}`) };
}

/**
 * The links merged as a set keyed by (from_id, to_id): the pairs I added or removed since `base` re-applied on
 * theirs unless they changed the same pair. A 2D track links to one cuboid: where mine and theirs give one
 * 2D track two cuboids, theirs is kept.
 * @param {Link[]} base @param {Link[]} mine @param {Link[]} theirs
 * @returns {{links: Link[], conflicts: string[]}}
 */
export function mergeLinks(base, mine, theirs) {
  /** @type {(links: Link[]) => (Link & {id: string})[]} */
  const keyed = (links) => links.map((link) => ({ ...structuredClone(link), id: `${link.from_id}-${link.to_id}` }));
  const { items, conflicts } = mergeById(keyed(base), keyed(mine), keyed(theirs));
  const theirPairs = new Set(keyed(theirs).map((link) => link.id));
  const byTarget = new Map();
  for (const link of items) {
    const other = byTarget.get(link.to_id);
    if (!other) {
      byTarget.set(link.to_id, link);
      continue;
    }
    const [kept, lost] = theirPairs.has(other.id) ? [other, link] : [link, other]; // theirs wins a 2D track's cuboid
    byTarget.set(link.to_id, kept);
    conflicts.push(lost.id);
  }
  const kept = new Set(byTarget.values());
  const links = items.filter((link) => kept.has(link)).map(({ id: _pair, ...link }) => /** @type {Link} */ (link));
  return { links, conflicts: conflicts.map((pair) => `link ${String(pair).replace("-", " ↔ ")}`) };
}

/**
 * Three-way merge of multi-sensor label attributes `{sensors: [{name, task_type, attributes}], links}`
 * (null = no label). Sensors are matched by name, in theirs' order (mine's when there is no stored label).
 * Returns {attributes, conflicts, dropped}: conflicts name what both changed ("<sensor> frame <n>: <id>",
 * "link <from> ↔ <to>"; theirs kept), and also list the dropped links; dropped are the links of mine whose
 * tracks no longer exist after the merge ("link <from> ↔ <to> dropped: track <id> is gone").
 * @param {any} base the label my edits started from
 * @param {any} mine my unsaved label
 * @param {any} theirs the label stored meanwhile
 * @returns {{attributes: any, conflicts: string[], dropped: string[]}}
 */
export function mergeMultiSensorLabels(base, mine, theirs) {
  const renumbered = renumberAcrossSensors(base, mine, theirs);
  const byName = (label) => new Map(sensorsOf(label).map((entry) => [entry.name, entry]));
  const [baseSensors, mySensors] = [byName(base), byName(renumbered)];
  const order = theirs ? sensorsOf(theirs) : sensorsOf(renumbered);
  const conflicts = [];
  const sensors = order.map((entry) => {
    const theirEntry = theirs ? entry : null;
    const merged = mergeSensor(entry.name, baseSensors.get(entry.name), mySensors.get(entry.name), theirEntry);
    conflicts.push(...merged.conflicts);
    return { name: entry.name, task_type: entry.task_type, attributes: merged.attributes };
  });
  const links = mergeLinks(linksOf(base), linksOf(renumbered), linksOf(theirs));
  conflicts.push(...links.conflicts);
  const ids = trackIdsOf({ sensors });
  const dropped = [];
  const live = links.links.filter((link) => {
    const gone = [link.from_id, link.to_id].find((id) => !ids.has(id));
    if (gone !== undefined) dropped.push(`link ${link.from_id} ↔ ${link.to_id} dropped: track ${gone} is gone`);
    return gone === undefined;
  });
  const attributes = { ...structuredClone(theirs || renumbered || {}), sensors };
  if (live.length) attributes.links = live;
  else delete attributes.links;
  return { attributes, conflicts: [...conflicts, ...dropped], dropped };
}
