// Small progressive enhancements; every page works without this file.
"use strict";

document.addEventListener("change", (event) => {
  // Filters and page-size choices apply as soon as they change.
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.requestSubmit();
  }
});
