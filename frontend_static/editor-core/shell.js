// The editor shell, the same for every editor: toolbar (sample navigation, undo/redo, zoom, status, save,
// submit, skip, review), notices (someone else saved, conflict with "keep both", restorable draft, open
// issues), the help panel generated from the keymap, the leave guard and the reject-reason dialog. It owns
// the session: label version and status, saving (with an Idempotency-Key), the work queue and review.
// An editor is a view mounted into the page that implements the EditorView contract below; it never
// touches the network or the shell's DOM.

import { claimNext, getLabel, listIssues, postReview, putLabel, resolveIssue, SaveError, newSaveId } from "./api.js";
import { h, replaceChildren } from "./dom.js";
import { actionForKey, helpGroups, isTypingTarget, SHELL_BINDINGS } from "./keymap.js";
import { connectDatasetEvents } from "./live-events.js";
import { deleteDraft, readDraft, writeDraftValue } from "./draft-store.js";
import { mergeLabels } from "./merge.js";
import { ReferenceLayer } from "./reference.js";
import { buildShellDom, helpCard } from "./shell-dom.js";

/**
 * What an editor view gives the shell. Only isDirty, toLabel, markSaved, perform and keymap are required.
 * @typedef {Object} EditorView
 * @property {() => boolean} isDirty unsaved changes?
 * @property {() => any | Promise<any>} toLabel the label attributes to store (may upload assets first)
 * @property {(attributes: any) => void} markSaved these attributes are now stored
 * @property {(action: string) => void} perform an editor action (undo, redo, zoom-in, zoom-out, fit, tools...)
 * @property {import("./keymap.js").Binding[]} keymap the editor's own bindings (tools, drawing)
 * @property {(status: string) => string[]} [localProblems] why it cannot be saved with this status (empty: fine)
 * @property {(error: SaveError, sent: any) => void} [showSaveError] show a refused save's reasons on the objects
 * @property {() => void} [clearSaveError]
 * @property {() => any} [draft] the unsaved label attributes to keep in browser storage (sync; omit: no drafts)
 * @property {(attributes: any) => void} [loadLabel] replace the document with these attributes (draft restore)
 * @property {() => Promise<any>} [draftData] a big draft (masks), kept in IndexedDB instead of draft()
 * @property {(data: any) => Promise<void>} [loadDraftData] restore what draftData() gave
 * @property {() => any} [savedLabel] the attributes as last stored (the base of "keep both")
 * @property {(attributes: any, markSavedAs: any) => void | Promise<void>} [rebase] show `attributes` (merged), stored is
 *   `markSavedAs` (the mask editors also merge their pixels here)
 * @property {(base: any, mine: any, theirs: any) => {attributes: any, conflicts: unknown[]}} [mergeLabels] keep both
 *   for labels whose objects have no ids (text spans); default: editor-core/merge.js mergeLabels
 * @property {() => any} [unsavedLabel] my unsaved label attributes for "keep both", without side effects (default:
 *   draft(), else toLabel())
 * @property {() => {track_id: number|null, frame: number|null}|null} [anchor] the selected object and frame
 * @property {(anchor: {track_id?: number|null, frame?: number|null}) => void} [focusAnchor] show an issue's place
 * @property {(event: KeyboardEvent) => boolean} [onKeyDown] keys the view handles itself (Space); true = handled
 * @property {(text: string) => void} [flash] a short message
 * @property {boolean} [canUndo]
 * @property {boolean} [canRedo]
 * @property {(attributes: any, labelset: string|null) => void | Promise<void>} [showReference] draw another label
 *   set's label (`attributes`, read-only) under the edited one; null hides it ("Compare with", editor-core/reference.js)
 * @property {() => Array<{id: number, name: string}>} [referenceObjects] the reference objects shown now
 * @property {(ids?: number[]) => number} [copyFromReference] copy these reference objects (default: the ones
 *   clicked) into the edited label with new ids / track ids, as one undo step; returns how many were copied
 */

const NEVER_LABELED = new Set([null, undefined, "", "UNLABELED", "PRELABELED", "LABELING_IN_PROGRESS"]);
/** Statuses a labeler may save (contract rule 5); REVIEWED and REJECTED need a reviewer. */
export const LABELER_STATUSES = new Set(["UNLABELED", "LABELING_IN_PROGRESS", "LABELED", "SKIPPED", "PRELABELED"]);
const REVIEW_ROLES = new Set(["reviewer", "manager", "admin", "owner"]);
const DRAFT_PREFIX = "labeling-draft:";

/**
 * The status a plain Save writes: in progress until the label is labeled, then the current status, unless
 * the user may not write that status (a labeler fixing a rejected label): then in progress.
 * @param {string|null} current
 * @param {boolean} canReview
 */
export function defaultSaveStatus(current, canReview) {
  if (NEVER_LABELED.has(current)) return "LABELING_IN_PROGRESS";
  if (!canReview && !LABELER_STATUSES.has(/** @type {string} */ (current))) return "LABELING_IN_PROGRESS";
  return /** @type {string} */ (current);
}

/** The browser-storage key of the draft of a sample's label set. */
export function draftKey(sampleUuid, labelset) {
  return `${DRAFT_PREFIX}${sampleUuid}:${labelset}`;
}

/** Whether the config's user may review (contract: `can_review`, else derived from `role`). */
export function canReviewFrom(config) {
  if (typeof config.can_review === "boolean") return config.can_review;
  return REVIEW_ROLES.has(config.role);
}

/** Where previous/next go: the user's queue when the server gives one, else dataset order. */
export function queueOf(config) {
  const queue = config.queue || {};
  return {
    name: queue.name ?? null,
    previousUrl: queue.previous_url !== undefined ? queue.previous_url : config.previous_url || null,
    nextUrl: queue.next_url !== undefined ? queue.next_url : config.next_url || null,
    submitNextUrl: queue.submit_next_url || null,
  };
}

export class Shell {
  /**
   * @param {HTMLElement} root the editor's root element (gets the .ve-app class)
   * @param {any} config the page's editor_config
   * @param {{toolbarStart?: Node[], noticesParent?: HTMLElement, storage?: Storage|null}} [options]
   */
  constructor(root, config, { toolbarStart = [], noticesParent = undefined, storage = safeStorage() } = {}) {
    this.root = root;
    this.config = config;
    this.storage = storage;
    this.canWrite = config.can_write !== false;
    this.canReview = canReviewFrom(config);
    this.queue = queueOf(config);
    this.version = config.label ? config.label.version : 0;
    this.labelStatus = config.label ? config.label.label_status : null;
    this.saving = false;
    this.savedAt = null;
    this.problem = null; // {kind, message, detail, currentVersion}
    this.leaving = false;
    this.issues = [];
    /** @type {EditorView|null} */
    this.view = null;
    this.reference = new ReferenceLayer(config);
    root.classList.add("ve-app");
    this.el = buildShellDom(config, queueOf(config), this.canReview, toolbarStart, this.reference.element);
    root.prepend(this.el.toolbar);
    (noticesParent || root).append(this.el.notices);
    root.append(this.el.help, this.el.leaveDialog, this.el.rejectDialog);
  }

  /** Attach the editor view and start: keyboard, buttons, live events, leave guard, draft offer, issues. */
  mount(view) {
    this.view = view;
    this.bindings = [...view.keymap, ...SHELL_BINDINGS];
    replaceChildren(this.el.help, helpCard(helpGroups(this.bindings), () => this.toggleHelp(false)));
    this.wireButtons();
    this.reference.attach(view, this);
    this.wireKeyboard();
    this.wireWindow();
    this.watchOtherSaves();
    this.offerDraft();
    this.loadIssues();
    this.render();
  }

  // ---- state shown in the toolbar ----------------------------------------------------------------------

  render() {
    const el = this.el;
    const view = this.view;
    const dirty = Boolean(view && view.isDirty());
    el.undo.disabled = !(view && view.canUndo);
    el.redo.disabled = !(view && view.canRedo);
    for (const button of [el.save, el.labeled, el.skipped, el.submit]) {
      if (button) button.disabled = this.saving || !this.canWrite;
    }
    // Reviewing needs the reviewer role, not the right to edit the label (it may be assigned to its labeler).
    for (const button of [el.accept, el.reject]) if (button) button.disabled = this.saving || !this.canReview;
    el.save.classList.toggle("has-changes", dirty);
    const [text, state] = this.saveStateText(dirty);
    el.saveState.textContent = text;
    el.saveState.title = this.problem ? this.problem.detail : text;
    el.saveState.dataset.state = state;
    this.root.classList.toggle("is-saving", this.saving);
    const status = this.labelStatus || "UNLABELED";
    el.labelStatus.textContent = status.replaceAll("_", " ").toLowerCase();
    el.labelStatus.className = `status status-${status}`;
    el.conflict.hidden = !(this.problem && this.problem.kind === "conflict");
    if (!el.conflict.hidden) el.conflictVersion.textContent = String(this.problem.currentVersion ?? "?");
    el.keepBoth.hidden = !(view && view.rebase && view.savedLabel);
    document.title = `${dirty ? "• " : ""}${this.config.sample.name} · Labeling`;
  }

  saveStateText(dirty) {
    if (!this.canWrite) return ["Read only", "readonly"];
    if (this.saving) return ["Saving…", "saving"];
    if (this.problem) return [`Save failed: ${this.problem.message}`, "error"];
    if (dirty) return ["Unsaved changes", "dirty"];
    if (!this.version) return ["Not labeled yet", "clean"];
    const time = this.savedAt ? ` at ${this.savedAt.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` : "";
    return [`Saved${time}`, "saved"];
  }

  /** The view changed its document: refresh the toolbar and keep a draft. */
  changed() {
    this.render();
    clearTimeout(this.draftTimer);
    const big = Boolean(this.view && this.view.draftData);
    this.draftTimer = setTimeout(() => this.writeDraft(), big ? 1000 : 250); // a mask draft costs an encode
  }

  flash(text) {
    if (this.view && this.view.flash) this.view.flash(text);
    else {
      this.el.saveState.textContent = text;
    }
  }

  // ---- saving ------------------------------------------------------------------------------------------

  defaultStatus() {
    return defaultSaveStatus(this.labelStatus, this.canReview);
  }

  /** Save the label with `status` (default: defaultStatus()). Resolves to true when it was stored. */
  async save(status = null) {
    const view = this.view;
    if (!this.canWrite || this.saving || !view) return false;
    if (isTypingTarget(document.activeElement)) /** @type {HTMLElement} */ (document.activeElement).blur();
    const labelStatus = status || this.defaultStatus();
    const problems = view.localProblems ? view.localProblems(labelStatus) : [];
    if (problems.length) return false;
    this.saving = true;
    this.problem = null;
    if (view.clearSaveError) view.clearSaveError();
    this.render();
    let sent = null;
    try {
      sent = await view.toLabel();
      const body = { attributes: sent, label_status: labelStatus, version: this.version };
      const stored = await putLabel(this.config.label_url, this.config.csrf_token, body, { saveId: newSaveId() });
      this.version = stored.version;
      this.labelStatus = stored.label_status;
      this.savedAt = new Date();
      view.markSaved(sent);
      this.removeDraft();
      this.el.remoteSave.hidden = true;
      return true;
    } catch (error) {
      const saveError = error instanceof SaveError ? error : new SaveError("server", String(error && error.message || error));
      this.problem = {
        kind: saveError.kind, message: shortMessage(saveError), detail: saveError.message,
        currentVersion: saveError.currentVersion,
      };
      if (view.showSaveError && sent) view.showSaveError(saveError, sent);
      if (saveError.errors.length && view.showSaveError) this.problem.message = shortMessage(saveError, view);
      return false;
    } finally {
      this.saving = false;
      this.render();
    }
  }

  /** Submit: save as labeled, then claim my next sample and go there. */
  async submit() {
    if (!(await this.save("LABELED"))) return;
    await this.goToNextOfQueue();
  }

  /** Skip: save as skipped, then go to my next sample like Submit. */
  async skip() {
    if (!(await this.save("SKIPPED"))) return;
    await this.goToNextOfQueue();
  }

  async goToNextOfQueue() {
    if (!this.queue.submitNextUrl) {
      if (this.queue.nextUrl) this.leave(this.queue.nextUrl);
      else this.flash("Saved. There is no next sample.");
      return;
    }
    try {
      const answer = await claimNext(this.queue.submitNextUrl, this.config.csrf_token);
      if (answer && answer.url) this.leave(answer.url);
      else this.showDone((answer && answer.message) || "Nothing left in your queue.");
    } catch (error) {
      this.flash(`Saved, but the next sample could not be claimed: ${error.message}`);
    }
  }

  showDone(message) {
    this.el.done.textContent = message;
    this.el.done.hidden = false;
  }

  // ---- review ------------------------------------------------------------------------------------------

  async review(decision, reason = "", anchor = null) {
    if (!this.canReview || this.saving) return false;
    if (this.canWrite && this.view && this.view.isDirty() && !(await this.save())) return false;
    this.saving = true;
    this.render();
    try {
      const answer = await postReview(this.config.review_url || `/labels/${this.config.sample.uuid}/${this.config.labelset}/review/`,
        this.config.csrf_token, { decision, reason, anchor, version: this.version });
      if (answer.label) {
        this.version = answer.label.version;
        this.labelStatus = answer.label.label_status;
      }
      this.problem = null;
      this.saving = false;
      this.render();
      if (answer.next_url) this.leave(answer.next_url);
      else this.showDone(decision === "accept" ? "Accepted. Nothing left to review." : "Rejected. Nothing left to review.");
      return true;
    } catch (error) {
      const saveError = error instanceof SaveError ? error : new SaveError("server", String(error));
      this.problem = { kind: saveError.kind, message: shortMessage(saveError), detail: saveError.message, currentVersion: saveError.currentVersion };
      return false;
    } finally {
      this.saving = false;
      this.render();
    }
  }

  openRejectDialog() {
    if (!this.canReview) return;
    const anchor = this.view && this.view.anchor ? this.view.anchor() : null;
    const el = this.el;
    el.rejectReason.value = "";
    el.rejectError.hidden = true;
    el.rejectAnchorRow.hidden = !(anchor && (anchor.track_id !== null || anchor.frame !== null));
    el.rejectAnchor.checked = !el.rejectAnchorRow.hidden && anchor.track_id !== null;
    el.rejectAnchorText.textContent = anchor ? describeAnchor(anchor) : "";
    this.pendingAnchor = anchor;
    el.rejectDialog.showModal();
    el.rejectReason.focus();
  }

  async confirmReject() {
    const reason = this.el.rejectReason.value.trim();
    if (!reason) {
      this.el.rejectError.hidden = false;
      this.el.rejectReason.focus();
      return;
    }
    const anchor = this.el.rejectAnchor.checked ? this.pendingAnchor : null;
    this.el.rejectDialog.close();
    await this.review("reject", reason, anchor);
  }

  // ---- issues ------------------------------------------------------------------------------------------

  async loadIssues() {
    if (!this.config.issues_url) return;
    try {
      this.issues = (await listIssues(this.config.issues_url)).filter((issue) => issue.status !== "CLOSED");
    } catch {
      this.issues = [];
    }
    this.renderIssues();
  }

  renderIssues() {
    const panel = this.el.issues;
    panel.hidden = !this.issues.length;
    replaceChildren(
      panel,
      h("strong", {}, `Open issues (${this.issues.length})`),
      h("ul", { class: "ve-issue-list" }, this.issues.map((issue) => {
        const anchor = normalizeAnchor(issue.anchor);
        const mayResolve = this.canWrite;
        return h(
          "li",
          { class: "ve-issue", "data-testid": "issue", "data-issue-uuid": issue.uuid },
          h("span", { class: "ve-issue-text", "data-testid": "issue-description" }, issue.description || "(no reason given)"),
          anchor ? h("span", { class: "muted", "data-testid": "issue-anchor" }, ` · ${describeAnchor(anchor)}`) : null,
          anchor && this.view && this.view.focusAnchor
            ? h("button", { type: "button", class: "btn small", "data-testid": "issue-goto", onclick: () => this.view.focusAnchor(anchor) }, "Show")
            : null,
          mayResolve ? h("button", { type: "button", class: "btn small", "data-testid": "issue-resolve", onclick: () => this.resolve(issue) }, "Resolve") : null,
        );
      })),
    );
  }

  async resolve(issue) {
    try {
      await resolveIssue(issue.uuid, this.config.csrf_token);
      this.issues = this.issues.filter((item) => item.uuid !== issue.uuid);
      this.renderIssues();
    } catch (error) {
      this.flash(`The issue could not be resolved: ${error.message}`);
    }
  }

  // ---- drafts and conflicts ----------------------------------------------------------------------------

  writeDraft() {
    const view = this.view;
    if (view && view.draftData && this.canWrite) {
      this.writeBigDraft();
      return;
    }
    if (!this.storage || !view || !view.draft || !this.canWrite) return;
    const key = draftKey(this.config.sample.uuid, this.config.labelset);
    try {
      if (!view.isDirty()) this.storage.removeItem(key);
      else this.storage.setItem(key, JSON.stringify({ version: this.version, savedAt: Date.now(), attributes: view.draft() }));
    } catch {
      // storage full or disabled: drafts are a convenience
    }
  }

  /** A mask draft: one write at a time; a change during the write schedules the next one. */
  async writeBigDraft() {
    const key = draftKey(this.config.sample.uuid, this.config.labelset);
    if (this.writingDraft) {
      this.draftAgain = true;
      return;
    }
    this.writingDraft = true;
    try {
      if (!this.view.isDirty()) await deleteDraft(key);
      else await writeDraftValue(key, { version: this.version, savedAt: Date.now(), data: await this.view.draftData() });
      this.root.dataset.draftSaved = String(Date.now());
    } catch {
      // drafts are a convenience
    } finally {
      this.writingDraft = false;
    }
    if (this.draftAgain) {
      this.draftAgain = false;
      this.writeBigDraft();
    }
  }

  removeDraft() {
    clearTimeout(this.draftTimer);
    if (this.view && this.view.draftData) deleteDraft(draftKey(this.config.sample.uuid, this.config.labelset));
    if (!this.storage) return;
    try {
      this.storage.removeItem(draftKey(this.config.sample.uuid, this.config.labelset));
    } catch {
      // ignore
    }
  }

  /** A draft of this very label version from an earlier visit (a reload, a crash): offer it back. */
  async offerDraft() {
    const view = this.view;
    if (view && view.draftData && view.loadDraftData && this.canWrite) {
      const stored = await readDraft(draftKey(this.config.sample.uuid, this.config.labelset));
      if (stored && stored.version === this.version) this.showDraftOffer(stored);
      return;
    }
    if (!this.storage || !view || !view.draft || !view.loadLabel || !this.canWrite) return;
    let draft;
    try {
      draft = JSON.parse(this.storage.getItem(draftKey(this.config.sample.uuid, this.config.labelset)) || "null");
    } catch {
      draft = null; // unreadable: as if there were none
    }
    if (!draft || draft.version !== this.version) return;
    this.showDraftOffer(draft);
  }

  showDraftOffer(draft) {
    this.el.draftTime.textContent = new Date(draft.savedAt).toLocaleString();
    this.el.draft.hidden = false;
    this.pendingDraft = draft;
  }

  async restoreDraft() {
    const draft = this.pendingDraft;
    if (draft && this.view && draft.data !== undefined && this.view.loadDraftData) await this.view.loadDraftData(draft.data);
    else if (draft && this.view && this.view.loadLabel) this.view.loadLabel(draft.attributes);
    this.el.draft.hidden = true;
    this.pendingDraft = null;
    this.changed();
  }

  discardDraft() {
    this.el.draft.hidden = true;
    this.pendingDraft = null;
    this.removeDraft();
  }

  /** Keep both: load their version and re-apply my unsaved changes on top, for objects they did not touch. */
  async keepBoth() {
    const view = this.view;
    if (!view || !view.rebase || !view.savedLabel) return;
    let stored;
    try {
      stored = await getLabel(this.config.label_url);
    } catch (error) {
      this.flash(`Their version could not be loaded: ${error.message}`);
      return;
    }
    const theirs = stored ? stored.attributes : null;
    const mine = view.unsavedLabel ? view.unsavedLabel() : view.draft ? view.draft() : await view.toLabel();
    const merge = view.mergeLabels ? view.mergeLabels.bind(view) : mergeLabels; // text: spans merged by position
    const { attributes, conflicts } = merge(view.savedLabel(), mine, theirs);
    try {
      await view.rebase(attributes, theirs);
    } catch (error) {
      this.flash(`Their version could not be merged: ${error.message}`);
      return;
    }
    this.version = stored ? stored.version : 0;
    this.labelStatus = stored ? stored.label_status : null;
    this.problem = null;
    this.el.remoteSave.hidden = true;
    this.changed();
    this.flash(conflicts.length
      ? `Their version is loaded with your changes on top; they also changed ${conflicts.join(", ")}: theirs kept.`
      : "Their version is loaded with your changes on top. Save to store both.");
  }

  // ---- navigation and leaving --------------------------------------------------------------------------

  navigate(direction) {
    const url = direction === "previous" ? this.queue.previousUrl : this.queue.nextUrl;
    if (!url) {
      this.flash(direction === "previous" ? "This is the first sample." : "This is the last sample.");
      return;
    }
    this.leaveAsking(url);
  }

  leaveAsking(url) {
    if (!this.view || !this.view.isDirty()) {
      this.leave(url);
      return;
    }
    this.pendingUrl = url;
    this.el.leaveDialog.showModal();
  }

  leave(url) {
    this.leaving = true;
    window.location.assign(url);
  }

  async onLeaveChoice(choice) {
    const url = this.pendingUrl;
    this.el.leaveDialog.close();
    if (choice === "discard") {
      this.removeDraft();
      this.leave(url);
    } else if (choice === "save" && (await this.save())) this.leave(url);
  }

  toggleHelp(show = this.el.help.hidden) {
    this.el.help.hidden = !show;
    this.el.helpButton.setAttribute("aria-expanded", show ? "true" : "false");
  }

  /** Run a shell action; anything else goes to the view. */
  perform(action) {
    const handler = {
      save: () => this.save(),
      "mark-labeled": () => this.save("LABELED"),
      "mark-skipped": () => this.skip(),
      submit: () => (this.canReview ? this.review("accept") : this.submit()),
      next: () => this.navigate("next"),
      previous: () => this.navigate("previous"),
      "review-accept": () => this.review("accept"),
      "review-reject": () => this.openRejectDialog(),
      help: () => this.toggleHelp(),
    }[action];
    if (action === "escape" && !this.el.help.hidden) this.toggleHelp(false);
    else if (handler) handler();
    else if (this.reference.perform(action)) return;
    else if (this.view) this.view.perform(action);
  }

  // ---- wiring ------------------------------------------------------------------------------------------

  wireButtons() {
    const el = this.el;
    const on = (element, action) => {
      if (!element) return;
      element.addEventListener("click", (event) => {
        event.currentTarget.blur(); // Enter and Space belong to the editor, not to the last clicked button
        action();
      });
    };
    on(el.undo, () => this.perform("undo"));
    on(el.redo, () => this.perform("redo"));
    on(el.zoomIn, () => this.perform("zoom-in"));
    on(el.zoomOut, () => this.perform("zoom-out"));
    on(el.zoomFit, () => this.perform("fit"));
    on(el.save, () => this.save());
    on(el.labeled, () => this.save("LABELED"));
    on(el.skipped, () => this.skip());
    on(el.submit, () => this.submit());
    on(el.accept, () => this.review("accept"));
    on(el.reject, () => this.openRejectDialog());
    on(el.helpButton, () => this.toggleHelp());
    on(el.reload, () => this.leave(window.location.href));
    on(el.keepBoth, () => this.keepBoth());
    on(el.remoteLoad, () => this.leave(window.location.href));
    on(el.remoteKeepBoth, () => this.keepBoth());
    on(el.remoteDismiss, () => { el.remoteSave.hidden = true; });
    on(el.draftRestore, () => this.restoreDraft());
    on(el.draftDiscard, () => this.discardDraft());
    for (const [link, direction] of [[el.previous, "previous"], [el.next, "next"]]) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.navigate(direction);
      });
    }
    for (const button of el.leaveDialog.querySelectorAll("button[data-choice]")) {
      button.addEventListener("click", () => this.onLeaveChoice(button.dataset.choice));
    }
    el.rejectConfirm.addEventListener("click", () => this.confirmReject());
    el.rejectCancel.addEventListener("click", () => el.rejectDialog.close());
    el.help.addEventListener("click", (event) => {
      if (event.target === el.help) this.toggleHelp(false); // a click beside the card closes it
    });
  }

  wireKeyboard() {
    document.addEventListener("keydown", (event) => {
      if (this.el.leaveDialog.open || this.el.rejectDialog.open) return;
      const typing = isTypingTarget(event.target);
      if (!typing && this.view && this.view.onKeyDown && this.view.onKeyDown(event)) return;
      const action = actionForKey(event, this.bindings);
      if (!action) return;
      if (typing && action === "escape") {
        /** @type {HTMLElement} */ (event.target).blur();
        return;
      }
      if (typing && action !== "save") return; // letters, Delete and Ctrl+Z keep their meaning in form fields
      event.preventDefault();
      this.perform(action);
    });
  }

  wireWindow() {
    window.addEventListener("beforeunload", (event) => {
      if (this.leaving) return;
      if ((this.view && this.view.isDirty()) || this.saving) {
        this.writeDraft();
        event.preventDefault();
        event.returnValue = ""; // older Chromium needs a return value to ask
      }
    });
  }

  /**
   * Someone else's save of this sample (or a worker's) raises the label's version: say who, offer to load
   * it or keep both. The event of our own save is sent at commit and can arrive before the PUT answers.
   */
  watchOtherSaves() {
    const config = this.config;
    if (!config.dataset || !config.dataset.full_name) return;
    connectDatasetEvents(config.dataset.full_name, {
      sampleUuid: config.sample.uuid,
      onStatus: (status) => {
        this.root.dataset.live = status;
      },
      onEvent: (event) => {
        if (event.type === "issue.changed") {
          this.loadIssues(); // raised, resolved or commented by someone (a reviewer's reject included)
          return;
        }
        if (event.type !== "label.saved" || event.labelset !== config.labelset) return;
        if (this.saving || !(event.version > this.version)) return;
        this.el.remoteUser.textContent = event.updated_by || "Someone";
        this.el.remoteVersion.textContent = String(event.version);
        this.el.remoteSave.hidden = false;
      },
    });
  }
}

function safeStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * An issue's anchor in the editor's terms {track_id, frame}: the wire format's `track` anchor (trackNumber),
 * a `basic` one (frame only), or already {track_id, frame}; null when it points nowhere we can show.
 * @param {any} anchor
 * @returns {{track_id: number|null, frame: number|null}|null}
 */
export function normalizeAnchor(anchor) {
  if (!anchor || typeof anchor !== "object") return null;
  const trackId = Number.isInteger(anchor.trackNumber) ? anchor.trackNumber : Number.isInteger(anchor.track_id) ? anchor.track_id : null;
  const frame = Number.isInteger(anchor.frame) ? anchor.frame : null;
  return trackId === null && frame === null ? null : { track_id: trackId, frame };
}

/** "object #3 · frame 5". */
export function describeAnchor(anchor) {
  const parts = [];
  if (anchor.track_id !== null && anchor.track_id !== undefined) parts.push(`object #${anchor.track_id}`);
  if (anchor.frame !== null && anchor.frame !== undefined) parts.push(`frame ${anchor.frame + 1}`);
  return parts.join(" · ");
}

function shortMessage(error, view = null) {
  if (error.kind === "conflict") return "someone else saved this label meanwhile; your changes are not stored";
  if (error.kind !== "invalid" || !error.errors.length) return error.message;
  const more = error.errors.length > 1 ? ` (+${error.errors.length - 1} more)` : "";
  const first = view && view.firstErrorMessage ? view.firstErrorMessage() : error.errors[0].message;
  return `${first}${more}`;
}
