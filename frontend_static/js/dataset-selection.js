// Dataset page: "select all" for the bulk-assignment checkboxes, and a live count of the selection.

function main() {
  const form = document.getElementById("assign-form");
  const selectAll = /** @type {HTMLInputElement|null} */ (document.getElementById("select-all"));
  if (!form || !selectAll) return;
  const boxes = () => [.../** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("input.select-sample"))];
  const count = document.getElementById("selected-count");
  const submit = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
  const refresh = () => {
    const selected = boxes().filter((box) => box.checked).length;
    count.textContent = selected ? `${selected} selected` : "select samples below";
    submit.disabled = selected === 0;
    selectAll.checked = selected > 0 && selected === boxes().length;
    selectAll.indeterminate = selected > 0 && selected < boxes().length;
  };
  selectAll.addEventListener("change", () => {
    for (const box of boxes()) box.checked = selectAll.checked;
    refresh();
  });
  for (const box of boxes()) box.addEventListener("change", refresh);
  refresh();
}

main();
