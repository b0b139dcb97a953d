// "Compare with": another label set of the sample (a model's predictions, say) shown read-only under the
// label being edited, and objects copied from it. The shell owns the picker, the fetch and the keys; the
// view draws the reference and copies from it through the optional part of the EditorView contract:
// showReference(attributes | null, labelset), referenceObjects(), copyFromReference(ids?) (docs/editors.md).

import { getLabel } from "./api.js";
import { h } from "./dom.js";

/** The title of the picker of a view that cannot show another label set. */
export const UNSUPPORTED_TITLE = "This editor cannot show another label set yet";

/**
 * The label sets a sample can be compared with: every label set of the config but the edited one.
 * @param {any} config editor_config (`labelsets`: [{name, url}], `labelset`: the edited one)
 * @returns {Array<{name: string, url: string}>}
 */
export function otherLabelsets(config) {
  return (config.labelsets || []).filter((labelset) => labelset.name !== config.labelset);
}

/** Whether a view implements the reference part of the EditorView contract. */
export function supportsReference(view) {
  return Boolean(view && typeof view.showReference === "function" && typeof view.copyFromReference === "function");
}

/**
 * The picker and copy button in the shell's toolbar, and the reference's state. Build it with the
 * config; `attach(view, {flash, changed})` once the view is mounted.
 */
export class ReferenceLayer {
  /** @param {any} config editor_config */
  constructor(config) {
    this.config = config;
    this.choices = otherLabelsets(config);
    this.labelset = null; // the chosen label set's name
    this.attributes = null; // its label's attributes (null: none, or not loaded)
    this.visible = true;
    this.view = null;
    this.el = this.choices.length ? buildDom(this.choices) : null;
  }

  /** The toolbar group (null when the dataset has one label set only). */
  get element() {
    return this.el ? this.el.group : null;
  }

  /**
   * @param {any} view the mounted EditorView
   * @param {{flash: (text: string) => void, changed: () => void}} shell
   */
  attach(view, shell) {
    this.view = view;
    this.shell = shell;
    if (!this.el) return;
    const supported = supportsReference(view);
    this.el.picker.disabled = !supported;
    this.el.group.title = supported ? "Compare with another label set of this sample: drawn under this one, read-only (Alt+R: hide or show)" : UNSUPPORTED_TITLE;
    this.el.group.dataset.supported = supported ? "true" : "false";
    this.el.picker.addEventListener("change", () => {
      this.el.picker.blur(); // keys belong to the editor again
      this.choose(this.el.picker.value || null);
    });
    this.el.copy.addEventListener("click", () => this.copy());
    this.render();
  }

  /** Show the label of `labelset` (null: none) under the edited one. */
  async choose(labelset) {
    this.labelset = labelset;
    this.attributes = null;
    this.visible = true;
    this.render();
    if (!labelset || !supportsReference(this.view)) {
      if (supportsReference(this.view)) this.view.showReference(null, null);
      return;
    }
    const choice = this.choices.find((item) => item.name === labelset);
    try {
      const stored = await getLabel(choice.url);
      if (this.labelset !== labelset) return; // another choice was made meanwhile
      this.attributes = stored ? stored.attributes : null;
      if (!stored) this.shell.flash(`This sample has no label in ${labelset}.`);
    } catch (error) {
      this.shell.flash(`The label of ${labelset} could not be loaded: ${error.message}`);
    }
    await this.show();
    if (this.attributes && this.labelset === labelset && this.view.referenceObjects) {
      const count = this.view.referenceObjects().length;
      this.shell.flash(`${labelset}: ${count} object${count === 1 ? "" : "s"} shown under this label. Click one, then Copy (Alt+C).`);
    }
  }

  /** Hand the chosen label (or null) to the view; resolves when the view has drawn it (masks load first). */
  async show() {
    if (!supportsReference(this.view)) return;
    const drawn = this.view.showReference(this.visible && this.labelset ? this.attributes : null, this.labelset);
    this.render();
    await drawn;
  }

  /** Alt+R: hide or show the reference layer (the choice stays). */
  toggle() {
    if (!this.labelset) {
      this.shell.flash(this.el ? "Choose a label set to compare with first." : "This dataset has one label set only.");
      return;
    }
    this.visible = !this.visible;
    this.show();
  }

  /** Alt+C: copy the chosen reference objects into the edited label (one undo step). */
  copy() {
    if (!this.labelset || !this.visible || !this.attributes || !supportsReference(this.view)) {
      this.shell.flash("Show a label set with objects first (Compare with…).");
      return;
    }
    if (this.config.can_write === false) {
      this.shell.flash("This label is read only for you.");
      return;
    }
    const copied = this.view.copyFromReference();
    if (!copied) this.shell.flash("Click an object of the other label set first (drawn dashed), then copy it.");
    else this.shell.flash(`Copied ${copied} object${copied === 1 ? "" : "s"} from ${this.labelset}.`);
  }

  render() {
    if (!this.el) return;
    const shown = Boolean(this.labelset && this.visible);
    this.el.picker.value = this.labelset || "";
    this.el.copy.hidden = !this.labelset; // the toolbar is crowded: Copy shows once a label set is chosen
    this.el.picker.classList.toggle("is-hidden", Boolean(this.labelset) && !this.visible);
    this.el.picker.title = this.labelset && !this.visible ? `${this.labelset} is hidden (Alt+R shows it)` : "";
    this.el.copy.disabled = !shown || this.config.can_write === false;
    this.el.group.dataset.reference = shown ? this.labelset : "";
  }

  /** The shell's actions of this layer (SHELL_BINDINGS). */
  perform(action) {
    if (action === "reference-toggle") this.toggle();
    else if (action === "reference-copy") this.copy();
    else return false;
    return true;
  }
}

function buildDom(choices) {
  const picker = h("select", { class: "ve-reference-picker", "data-testid": "reference-picker", "aria-label": "Compare with another label set" },
    h("option", { value: "" }, "Compare with…"),
    choices.map((choice) => h("option", { value: choice.name }, choice.name)));
  const copy = h("button", { type: "button", class: "btn small", "data-testid": "reference-copy", title: "Copy the clicked object(s) of the other label set into this label (Alt+C)" }, "Copy");
  // The toolbar is one row and often full: hide/show is Alt+R (or choosing "Compare with…"), not a button.
  const group = h("div", { class: "ve-group ve-reference", "data-testid": "reference-controls" }, picker, copy);
  return { group, picker, copy };
}
