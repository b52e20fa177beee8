/* The header's menu is a <details>: it opens and closes without this script. With it, Escape
 * closes the open menu (focus returns to its button) and a click or tap outside closes it too. */
(function () {
  "use strict";

  var menu = document.querySelector("details.site-menu");
  if (!menu) {
    return;
  }
  var summary = menu.querySelector("summary");

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      summary.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) {
      menu.open = false;
    }
  });
})();
