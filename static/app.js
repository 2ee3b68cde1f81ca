// Small progressive enhancements; every page works without this file.
"use strict";

document.addEventListener("change", (event) => {
  // Filters and page-size choices apply as soon as they change.
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.requestSubmit();
  }
});

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
