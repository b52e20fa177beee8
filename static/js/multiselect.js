/* Searchable multi-selects: every <select multiple data-searchable> becomes a Tom Select
 * (static/vendor/tom-select/, loaded before this file). Type to narrow the list, pick with a tap,
 * a click or Enter, remove a choice with its × or Backspace. The words come from the select's
 * data- attributes, which the server writes in the page's language. Without JavaScript the
 * select stays the browser's own list.
 */
(function () {
  "use strict";

  if (typeof window.TomSelect !== "function") {
    return;
  }

  function escape(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  document.querySelectorAll("select[multiple][data-searchable]").forEach(function (select) {
    var data = select.dataset;
    new window.TomSelect(select, {
      plugins: { remove_button: { title: data.remove || "Remove" } },
      placeholder: data.placeholder || "",
      hidePlaceholder: false,
      maxOptions: null,
      closeAfterSelect: false,
      // After a pick, the typed words go, so that the next search starts afresh.
      onItemAdd: function () {
        this.setTextboxValue("");
        this.refreshOptions(false);
      },
      render: {
        no_results: function () {
          return '<div class="no-results">' + escape(data.noResults || "") + "</div>";
        }
      }
    });
    // The original select stays in the page for the form, hidden and out of the tab order; its
    // label now names Tom Select's combobox, so the select leaves the accessibility tree too.
    select.setAttribute("aria-hidden", "true");
  });
})();
