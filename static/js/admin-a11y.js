// The officials' admin: give a name to the inputs Django's admin leaves unlabelled, which screen
// readers announce as unnamed text fields (axe: "label", critical):
// - the search boxes select2 adds to autocomplete fields, named after the field's label;
// - the date and the time boxes of a date-and-time field, named "<field> <날짜|시각>" from the
//   field's label and the words Django writes before each box.
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

  function nameDateTimeBoxes() {
    document.querySelectorAll("p.datetime input:not([aria-label])").forEach(function (box) {
      var row = box.closest(".form-row, .fieldBox, div");
      var label = row ? row.querySelector("label") : null;
      var field = label ? label.textContent.replace(/[:\s]+$/, "").trim() : "";
      var before = box.previousSibling;
      while (before && before.nodeType !== Node.TEXT_NODE) before = before.previousSibling;
      var part = before ? before.textContent.replace(/[:\s]+$/, "").trim() : "";
      var name = [field, part].filter(Boolean).join(" ");
      if (name) box.setAttribute("aria-label", name);
    });
  }

  function start() {
    nameDateTimeBoxes();
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
