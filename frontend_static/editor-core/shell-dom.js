// The editor shell's DOM (shell.js): the toolbar (sample, history, zoom, status, save, review, queue), the
// notices (remote saves, conflicts, drafts, issues), the dialogs (reject reason, leave) and the keyboard help card.
// Built once per page; the Shell fills and shows its parts.

import { h } from "./dom.js";

/** The keyboard help card, generated from the keymap groups. */
export function helpCard(groups, onClose) {
  return h(
    "div",
    { class: "ve-help-card", role: "dialog", "aria-label": "Keyboard shortcuts" },
    h("div", { class: "ve-help-head" }, h("h2", {}, "Keyboard shortcuts"),
      h("button", { type: "button", class: "btn small", "data-testid": "help-close", onclick: onClose }, "Close")),
    h("div", { class: "ve-help-groups" }, groups.map((group) =>
      h("section", {}, h("h3", {}, group.title), h("dl", {}, group.items.map(([keys, description]) => [
        h("dt", {}, keys.map((key) => (key === "/" ? " / " : h("kbd", {}, key)))),
        h("dd", {}, description),
      ]))))),
  );
}

/**
 * The shell's DOM: one toolbar, notices and dialogs for every editor. Returns {name: element}.
 * @param {any} config editor_config @param {any} queue queueOf(config) @param {boolean} canReview
 * @param {Node[]} toolbarStart @param {HTMLElement|null} referenceGroup
 */
export function buildShellDom(config, queue, canReview, toolbarStart, referenceGroup) {
  const el = {};
  const button = (name, props, ...children) => (el[name] = h("button", { type: "button", class: "btn", ...props }, ...children));
  const link = (name, url, props, text) =>
    (el[name] = h("a", { class: "btn icon", href: url || "#", "aria-disabled": url ? false : "true", ...props }, text));
  el.labelStatus = h("span", { class: "status", id: "ve-label-status", "data-testid": "label-status" });
  el.saveState = h("span", { class: "ve-save-state", id: "ve-save-state", "data-testid": "save-state", role: "status", "aria-live": "polite" });
  el.zoomLevel = h("span", { class: "ve-zoom-level", id: "ve-zoom-level", "data-testid": "zoom-level" }, "100%");
  const actions = [
    button("skipped", { id: "ve-skipped", "data-testid": "status-skipped", title: "Skip: save as skipped and go to my next sample (Shift+S)" }, "Skip"),
    button("save", { id: "ve-save", "data-testid": "save-button", title: "Save (Ctrl+S)" }, "Save"),
    button("labeled", { id: "ve-labeled", class: canReview ? "btn" : "btn", "data-testid": "status-labeled", title: "Mark labeled and save (Shift+L)" }, "Labeled"),
  ];
  if (canReview) {
    actions.push(
      button("reject", { class: "btn danger", "data-testid": "review-reject", title: "Reject with a reason (Shift+R)" }, "Reject"),
      button("accept", { class: "btn primary", "data-testid": "review-accept", title: "Accept and go to the next sample to review (Shift+A)" }, "Accept"),
    );
  } else {
    actions.push(button("submit", { class: "btn primary", "data-testid": "submit-next", title: "Submit: mark labeled, save and go to my next sample (Shift+Enter)" }, "Submit"));
  }
  if (config.history_url) {
    // Managers: the label's saved versions, a server page (leaving with unsaved changes asks first: beforeunload).
    el.history = h("a", { class: "btn", href: config.history_url, "data-testid": "history-link", title: "Saved versions of this label: view or restore one" }, "History");
    actions.push(el.history);
  }
  actions.push(button("helpButton", { class: "btn icon", id: "ve-help-button", "data-testid": "help-button", title: "Keyboard shortcuts (?)", "aria-label": "Keyboard shortcuts", "aria-expanded": "false" }, "?"));
  el.toolbar = h(
    "div",
    { class: "ve-toolbar", role: "toolbar", "aria-label": "Editor", "data-queue": queue.name || "dataset" },
    h("div", { class: "ve-group" },
      link("previous", queue.previousUrl, { id: "ve-previous", "data-testid": "previous-sample", title: "Previous sample (Alt+←)", "aria-label": "Previous sample" }, "‹"),
      h("span", { class: "ve-sample-name", title: config.sample.name }, config.sample.name),
      link("next", queue.nextUrl, { id: "ve-next", "data-testid": "next-sample", title: "Next sample (Alt+→)", "aria-label": "Next sample" }, "›")),
    toolbarStart.length ? h("div", { class: "ve-group" }, toolbarStart) : null,
    referenceGroup,
    h("div", { class: "ve-group" },
      button("undo", { class: "btn icon", id: "ve-undo", "data-testid": "undo", title: "Undo (Ctrl+Z)", "aria-label": "Undo" }, "↶"),
      button("redo", { class: "btn icon", id: "ve-redo", "data-testid": "redo", title: "Redo (Ctrl+Shift+Z)", "aria-label": "Redo" }, "↷")),
    h("div", { class: "ve-group" },
      button("zoomOut", { class: "btn icon", id: "ve-zoom-out", "data-testid": "zoom-out", title: "Zoom out (−)", "aria-label": "Zoom out" }, "−"),
      el.zoomLevel,
      button("zoomIn", { class: "btn icon", id: "ve-zoom-in", "data-testid": "zoom-in", title: "Zoom in (+)", "aria-label": "Zoom in" }, "+"),
      button("zoomFit", { id: "ve-zoom-fit", "data-testid": "zoom-fit", title: "Fit to screen (0)" }, "Fit")),
    h("div", { class: "ve-spacer" }),
    el.labelStatus,
    el.saveState,
    h("div", { class: "ve-group ve-actions" }, actions),
  );
  el.remoteUser = h("span", { id: "ve-remote-save-user" });
  el.remoteVersion = h("span", { id: "ve-remote-save-version" });
  el.remoteSave = h("div", { class: "ve-conflict ve-remote-save", id: "ve-remote-save", "data-testid": "remote-save-notice", role: "status", hidden: true },
    h("strong", {}, el.remoteUser, " saved this sample"), " (now version ", el.remoteVersion, ").",
    button("remoteLoad", { class: "btn small", "data-testid": "remote-save-load" }, "Load their version"),
    button("remoteKeepBoth", { class: "btn small", "data-testid": "remote-save-keep-both" }, "Keep both"),
    button("remoteDismiss", { class: "btn small" }, "Keep editing"),
    h("span", { class: "muted" }, "(saving from here would be refused as a conflict)"));
  el.conflictVersion = h("span", { id: "ve-conflict-version" });
  el.conflict = h("div", { class: "ve-conflict", id: "ve-conflict", "data-testid": "conflict-message", role: "alert", hidden: true },
    h("strong", {}, "Not saved: someone else saved this label meanwhile"), " (it is now at version ", el.conflictVersion, "). ",
    "Your changes were kept here but not stored, so nothing of theirs was overwritten.",
    button("keepBoth", { class: "btn small primary", "data-testid": "conflict-keep-both", title: "Load their version and re-apply your changes on top, for the objects they did not change" }, "Keep both"),
    button("reload", { class: "btn small", id: "ve-reload", "data-testid": "conflict-reload" }, "Load their version"),
    h("span", { class: "muted" }, "(discards your unsaved changes)"));
  el.draftTime = h("span", {});
  el.draft = h("div", { class: "ve-conflict ve-remote-save", "data-testid": "draft-notice", role: "status", hidden: true },
    h("strong", {}, "Unsaved changes from an earlier visit"), " (", el.draftTime, ") are kept in this browser.",
    button("draftRestore", { class: "btn small primary", "data-testid": "draft-restore" }, "Restore them"),
    button("draftDiscard", { class: "btn small", "data-testid": "draft-discard" }, "Discard"));
  el.done = h("div", { class: "ve-conflict ve-remote-save", "data-testid": "queue-done", role: "status", hidden: true });
  el.issues = h("div", { class: "ve-issues", "data-testid": "issues-panel", hidden: true });
  el.notices = h("div", { class: "ve-notices" }, el.remoteSave, el.conflict, el.draft, el.done, el.issues);
  el.help = h("div", { class: "ve-help", id: "ve-help", "data-testid": "help-panel", hidden: true });
  el.leaveDialog = h("dialog", { class: "ve-dialog", id: "ve-leave-dialog", "data-testid": "unsaved-dialog" },
    h("h2", {}, "Unsaved changes"),
    h("p", {}, "This sample has changes that are not saved yet."),
    h("div", { class: "ve-dialog-actions" },
      h("button", { type: "button", class: "btn", "data-choice": "cancel", "data-testid": "leave-cancel" }, "Stay here"),
      h("button", { type: "button", class: "btn", "data-choice": "discard", "data-testid": "leave-discard" }, "Discard changes"),
      h("button", { type: "button", class: "btn primary", "data-choice": "save", "data-testid": "leave-save" }, "Save and continue")));
  el.rejectReason = h("textarea", { rows: 4, class: "ve-reject-reason", "data-testid": "reject-reason", placeholder: "What must the labeler fix?" });
  el.rejectError = h("p", { class: "ve-reject-error", "data-testid": "reject-reason-required", hidden: true }, "A reason is required to reject.");
  el.rejectAnchor = h("input", { type: "checkbox", "data-testid": "reject-anchor" });
  el.rejectAnchorText = h("span", {});
  el.rejectAnchorRow = h("label", { class: "ve-reject-anchor" }, el.rejectAnchor, " Anchor to ", el.rejectAnchorText);
  el.rejectConfirm = h("button", { type: "button", class: "btn danger", "data-testid": "reject-confirm" }, "Reject");
  el.rejectCancel = h("button", { type: "button", class: "btn", "data-testid": "reject-cancel" }, "Cancel");
  el.rejectDialog = h("dialog", { class: "ve-dialog", "data-testid": "reject-dialog" },
    h("h2", {}, "Reject this label"),
    h("p", {}, "The reason becomes an issue the labeler sees in the editor."),
    el.rejectReason, el.rejectError, el.rejectAnchorRow,
    h("div", { class: "ve-dialog-actions" }, el.rejectCancel, el.rejectConfirm));
  return el;
}
