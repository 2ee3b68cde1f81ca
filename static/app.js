// Small progressive enhancements; every page works without this file.
"use strict";

document.addEventListener("change", (event) => {
  // Filters and page-size choices apply as soon as they change.
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.requestSubmit();
  }
});

// A form that came back with errors puts the focus on the first field to
// fix, unless something on the page asked for the focus: a screen reader
// then reads that field's label and message (aria-describedby) at once.
const firstInvalid = document.querySelector('[aria-invalid="true"]');
if (firstInvalid && document.activeElement === document.body) {
  const target = firstInvalid.matches("fieldset") ? firstInvalid.querySelector("input") : firstInvalid;
  if (target) {
    target.focus();
  }
}

// Copy buttons (data-copy names the element whose text they copy) need
// this script, so they start hidden.
for (const button of document.querySelectorAll("button[data-copy][hidden]")) {
  button.hidden = false;
}

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  const source = button && document.getElementById(button.dataset.copy);
  if (!source) {
    return;
  }
  const text = source.textContent.trim();
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard API (plain HTTP away from localhost): select the text
    // and ask the browser to copy the selection.
    const range = document.createRange();
    range.selectNodeContents(source);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    if (!document.execCommand("copy")) {
      button.textContent = "Selecionado: copie com Ctrl+C";
      return;
    }
  }
  button.textContent = button.dataset.copied || "Copiado!";
});

// A form being sent says so: the button pressed shows its data-busy text
// ("Salvando…"), and every submit button of the form is disabled, so a
// second click cannot send it twice. A disabled button is left out of what
// the form sends, so the pressed button's name and value ("Salvar e
// adicionar outro") go along in a hidden field.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || form.method !== "post") {
    return;
  }
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "true";
  form.setAttribute("aria-busy", "true");
  const pressed = event.submitter;
  if (pressed && pressed.name) {
    const copy = document.createElement("input");
    copy.type = "hidden";
    copy.name = pressed.name;
    copy.value = pressed.value;
    copy.dataset.submitter = "true";
    form.append(copy);
  }
  if (pressed && pressed.dataset.busy) {
    pressed.dataset.idle = pressed.textContent;
    pressed.textContent = pressed.dataset.busy;
  }
  for (const button of form.querySelectorAll('button[type="submit"]')) {
    button.disabled = true;
  }
});

// Coming back to a sent page through the browser's history, its forms
// work again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) {
    return;
  }
  for (const form of document.querySelectorAll("form[data-sending]")) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
    form.querySelectorAll("input[data-submitter]").forEach((copy) => copy.remove());
    for (const button of form.querySelectorAll('button[type="submit"]')) {
      button.disabled = false;
      if (button.dataset.idle) {
        button.textContent = button.dataset.idle;
        delete button.dataset.idle;
      }
    }
  }
});

// Bulk actions on a list: "select all on this page" checks every row (the
// server reads it as the whole page anyway), a row unchecked unchecks it,
// and the bar says how many rows are selected.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-bulk]");
  if (!form || event.target.type !== "checkbox") {
    return;
  }
  const rows = [...form.querySelectorAll('input[type="checkbox"][name="ids"]')];
  const all = form.querySelector("input[data-select-all]");
  if (event.target === all) {
    rows.forEach((box) => { box.checked = all.checked; });
  } else if (all) {
    all.checked = rows.length > 0 && rows.every((box) => box.checked);
    all.indeterminate = !all.checked && rows.some((box) => box.checked);
  }
  const count = form.querySelector("[data-bulk-count]");
  const n = rows.filter((box) => box.checked).length;
  if (count) {
    count.textContent = n === 0 ? "Selecionados:" : n === 1 ? "1 selecionado:" : `${n} selecionados:`;
  }
});
