// The officials' admin: name the search boxes of the autocomplete fields (select2) after their
// field's label. Django's select2 adds, for a many-to-many field, a search box with no label,
// which screen readers announce as an unnamed text field (axe: "label", critical).
(function () {
  "use strict";

  function labelFor(select) {
    if (!select || !select.id) return "";
    var label = document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/[:\s]+$/, "").trim() : "";
  }

  function nameSearchBoxes(root) {
    var boxes = (root || document).querySelectorAll(".select2-search__field:not([aria-label])");
    boxes.forEach(function (box) {
      var container = box.closest(".select2-container");
      var select = container ? container.previousElementSibling : null;
      var name = labelFor(select);
      if (name) box.setAttribute("aria-label", name);
    });
  }

  function start() {
    nameSearchBoxes(document);
    new MutationObserver(function () {
      nameSearchBoxes(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
