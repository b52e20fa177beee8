/*
 * Progressive enhancement for long <select multiple data-filterable> lists.
 *
 * Without JavaScript the plain select works (Ctrl/⌘-click to choose several). With it, a
 * search box above the select hides the options that do not match what is typed, and a
 * line below says how many are chosen, so a recruiter can find "위험물기능사" among dozens
 * of certifications quickly. Chosen options always stay visible. No library needed.
 */
(function () {
  "use strict";

  function normalise(text) {
    return (text || "").toLocaleLowerCase().replace(/\s+/g, "");
  }

  function enhance(select) {
    if (select.dataset.filterReady) return;
    select.dataset.filterReady = "true";
    var label = document.querySelector('label[for="' + select.id + '"]');
    var labelText = label ? label.textContent.trim() : "";
    var lang = document.documentElement.lang || "ko";
    var korean = lang.indexOf("ko") === 0;

    var wrapper = document.createElement("div");
    wrapper.className = "multiselect-filter";
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "_filter";
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-controls", select.id);
    input.placeholder = korean ? "검색하여 좁히기" : "Type to filter";
    input.setAttribute("aria-label", (korean ? "검색: " : "Filter: ") + labelText);
    wrapper.appendChild(input);
    select.parentNode.insertBefore(wrapper, select);

    var count = document.createElement("p");
    count.className = "multiselect-count";
    count.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(count, select.nextSibling);

    function updateCount() {
      var chosen = Array.prototype.filter.call(select.options, function (o) { return o.selected; });
      var names = chosen.map(function (o) { return o.textContent.trim(); }).join(", ");
      count.textContent = chosen.length
        ? (korean ? chosen.length + "개 선택: " : chosen.length + " chosen: ") + names
        : (korean ? "선택 없음" : "None chosen");
    }

    function applyFilter() {
      var query = normalise(input.value);
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !query || normalise(option.textContent).indexOf(query) !== -1;
        option.hidden = !(match || option.selected);
      });
    }

    input.addEventListener("input", applyFilter);
    input.addEventListener("keydown", function (event) {
      // Enter in the filter must not submit the whole form.
      if (event.key === "Enter") event.preventDefault();
    });
    select.addEventListener("change", function () { updateCount(); applyFilter(); });
    updateCount();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("select[multiple][data-filterable]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
