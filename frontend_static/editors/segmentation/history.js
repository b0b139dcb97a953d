// Undo/redo for the segmentation editor. An entry is a pixel diff (a MaskChange: changed indices with their
// old and new ids), never a copy of the mask, so a long session on a 2048x1536 photo stays light; plus,
// when the instance list changed, the list before and after (a few hundred small objects at most).

export const DEFAULT_LIMIT = 500;

export class EditHistory {
  constructor(limit = DEFAULT_LIMIT) {
    this.limit = limit;
    this.past = [];
    this.future = [];
  }

  /** Remember one finished edit {change?: MaskChange, instancesBefore?, instancesAfter?}. Drops the redo stack. */
  push(entry) {
    this.past.push(entry);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  /** The edit to revert (null if none); it moves to the redo stack. */
  undo() {
    const entry = this.past.pop() || null;
    if (entry) this.future.push(entry);
    return entry;
  }

  /** The edit to re-apply (null if none); it moves back to the undo stack. */
  redo() {
    const entry = this.future.pop() || null;
    if (entry) this.past.push(entry);
    return entry;
  }

  get canUndo() {
    return this.past.length > 0;
  }

  get canRedo() {
    return this.future.length > 0;
  }
}
