// One undo/redo history for every sensor of the multi-sensor editor (editor-core/history.js in snapshot mode).
// Each sensor's view keeps recording its document snapshots as always, into a channel of this history handed
// to it as its `history`; an entry remembers whose snapshot it is, so Undo restores the right sensor's
// document whichever view the pointer is over. `group(fn)` makes the changes of several owners (a 2D box and
// its link) one step.

import { History } from "../../editor-core/history.js";

/**
 * What owns a document: its snapshot now and how to put one back.
 * @typedef {{snapshot: () => any, restore: (snapshot: any) => void}} Owner
 * @typedef {{parts: {owner: Owner, entry: any}[]}} Step
 */

export class SharedHistory {
  constructor() {
    /** @type {History<Step>} */
    this.history = new History();
    /** @type {Step|null} the step being grouped */
    this.open = null;
  }

  /**
   * The `history` to give a view: `record(before)` adds a step of `owner` (or a part of the open group);
   * `clear()` clears everything (a rebase).
   * @param {Owner} owner
   */
  channel(owner) {
    const shared = this;
    return {
      record: (entry) => shared.record(owner, entry),
      clear: () => shared.clear(),
      get canUndo() { return shared.canUndo; },
      get canRedo() { return shared.canRedo; },
      undo: () => null, // the multi-sensor editor undoes across sensors (SharedHistory.undo)
      redo: () => null,
    };
  }

  /** @param {Owner} owner @param {any} entry the owner's snapshot before the change */
  record(owner, entry) {
    if (this.open) {
      if (!this.open.parts.some((part) => part.owner === owner)) this.open.parts.push({ owner, entry });
      return;
    }
    this.history.record({ parts: [{ owner, entry }] });
  }

  /** Run `fn`; whatever it records is one step. */
  group(fn) {
    if (this.open) return fn();
    this.open = { parts: [] };
    try {
      return fn();
    } finally {
      const step = this.open;
      this.open = null;
      if (step.parts.length) this.history.record(step);
    }
  }

  /** Forget every step (a rebase on someone else's version). */
  clear() {
    this.history.clear();
  }

  /** Undo the last step, in whichever owners it changed. @returns {boolean} whether there was one */
  undo() {
    return this.move((current) => this.history.undo(current), this.history.past);
  }

  /** Redo the last undone step. @returns {boolean} */
  redo() {
    return this.move((current) => this.history.redo(current), this.history.future);
  }

  move(take, stack) {
    const next = stack.at(-1);
    if (!next) return false;
    const current = { parts: next.parts.map((part) => ({ owner: part.owner, entry: part.owner.snapshot() })) };
    const step = take(current);
    for (const part of [...step.parts].reverse()) part.owner.restore(part.entry);
    return true;
  }

  get canUndo() {
    return this.history.canUndo;
  }

  get canRedo() {
    return this.history.canRedo;
  }
}
