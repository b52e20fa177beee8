// Draws the dashboard's charts from the JSON the page embeds (#dashboard-charts).
// Without JavaScript the tables under each chart carry the same numbers.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#0b5cad", "#f0b400", "#1f7a3d", "#b3261e", "#6b4fbb", "#00838f", "#9a5b00", "#566173"];
  var charts = [];

  function datasets(spec, kind) {
    return spec.series.map(function (series, i) {
      var colour = palette[i % palette.length];
      var set = { label: series.label, data: series.data, borderColor: colour, backgroundColor: colour };
      if (kind === "doughnut") { set.backgroundColor = spec.labels.map(function (_, j) { return palette[j % palette.length]; }); }
      if (kind === "line") { set.fill = false; set.spanGaps = false; set.tension = 0.2; }
      if (series.type) { set.type = series.type; set.order = series.type === "line" ? 0 : 1; }
      return set;
    });
  }

  function config(kind, spec) {
    var options = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } } };
    var type = kind;
    if (kind === "bar-stacked") { type = "bar"; options.scales = { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }; }
    if (kind === "bar-horizontal") { type = "bar"; options.indexAxis = "y"; }
    if (kind === "bar") { options.scales = { y: { beginAtZero: true } }; }
    if (kind === "burn-down") { type = "bar"; options.scales = { y: { beginAtZero: true } }; }
    if (kind === "line") { options.scales = { y: { beginAtZero: true, suggestedMax: 100, title: { display: true, text: "%" } } }; }
    return { type: type, data: { labels: spec.labels, datasets: datasets(spec, kind) }, options: options };
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = data[canvas.dataset.chart];
    if (!spec || !spec.labels.length) { return; }
    canvas.closest("figure").hidden = false;
    charts.push(new window.Chart(canvas, config(canvas.dataset.kind, spec)));
  });

  // Redraw at the printed width so that the charts fit an A4 page.
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("afterprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
