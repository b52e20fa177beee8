/* The print layout's button: shown only when this script runs, it opens the browser's print
 * dialogue (where "Save as PDF" keeps a PDF). Without JavaScript the browser's own menu prints. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
