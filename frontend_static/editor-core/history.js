// Undo/redo of whole-document snapshots. A label document is small (a few hundred shapes at most), so a
// deep copy per change is cheap and far simpler to get right than invertible commands.

export const DEFAULT_LIMIT = 200;

export class History {
  constructor(limit = DEFAULT_LIMIT) {
    this.limit = limit;
    this.past = [];
    this.future = [];
  }

  /** Remember `before`, the document as it was before a change; a new change drops the redo stack. */
  record(before) {
    this.past.push(before);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  /** The document to restore for undo (null when there is nothing to undo); `current` becomes redoable. */
  undo(current) {
    if (!this.past.length) return null;
    this.future.push(current);
    return this.past.pop();
  }

  /** The document to restore for redo (null when there is nothing to redo); `current` becomes undoable. */
  redo(current) {
    if (!this.future.length) return null;
    this.past.push(current);
    return this.future.pop();
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
