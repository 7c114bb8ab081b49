// Draws the History and Report plots with uPlot from the JSON the page carries (#chart-data).
// No inline script: the page's Content-Security-Policy allows only files served by the console.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  var printButton = document.getElementById("print");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }
  if (!source || typeof uPlot === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var utc = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); };
  var drawn = 0, points = 0;

  function width(el) { return Math.max(320, Math.min(el.clientWidth || 900, 1100)); }

  data.plots.forEach(function (plot) {
    var el = document.getElementById("plot-" + plot.id);
    var series = [{}, {label: "mean", stroke: "#1f5fbf", width: 2, spanGaps: false},
                  {label: "low", stroke: "#9bb7e0", width: 1, spanGaps: false},
                  {label: "high", stroke: "#9bb7e0", width: 1, spanGaps: false}];
    var columns = [plot.x, plot.mean, plot.low, plot.high];
    plot.limits.forEach(function (limit) {
      series.push({label: limit.label + " " + limit.value, stroke: "#c62828", width: 2, dash: [8, 5],
                   points: {show: false}});
      columns.push(plot.x.map(function () { return limit.value; }));
    });
    plot.mean.forEach(function (v) { if (v !== null) { points += 1; } });
    new uPlot({
      width: width(el), height: 220, tzDate: utc, series: series,
      scales: {x: {time: true, range: [data.start, data.end]}},
      axes: [{}, {label: plot.unit, size: 60}],
      legend: {live: true}
    }, columns, el);
    el.setAttribute("data-drawn", String(plot.mean.filter(function (v) { return v !== null; }).length));
    drawn += 1;
  });

  var pump = data.pump, pel = document.getElementById("plot-pump");
  if (pel) {
    var levels = pump.levels;
    new uPlot({
      width: width(pel), height: 200, tzDate: utc,
      series: [{}, {label: "light", stroke: "#2e7d32", width: 2, paths: uPlot.paths.stepped({align: 1}),
                    spanGaps: false, value: function (u, v) { return v === null ? "—" : levels[v]; }},
               {label: "beeping", stroke: "#c62828", width: 2, scale: "beep", paths: uPlot.paths.stepped({align: 1}),
                value: function (u, v) { return v === null ? "not known" : (v ? "beeping" : "quiet"); }}],
      scales: {x: {time: true, range: [data.start, data.end]}, y: {range: [0, levels.length - 1]},
               beep: {range: [-0.1, 1.1]}},
      axes: [{}, {size: 150, splits: function () { return levels.map(function (_, i) { return i; }); },
                  values: function (u, vals) { return vals.map(function (v) { return levels[v] || ""; }); }},
             {scale: "beep", side: 1, splits: function () { return [0, 1]; },
              values: function (u, vals) { return vals.map(function (v) { return v ? "beeping" : "quiet"; }); }}]
    }, [pump.x, pump.light, pump.beeping], pel);
    pel.setAttribute("data-drawn", String(pump.x.length));
    drawn += 1;
  }
  document.body.setAttribute("data-charts", String(drawn));
  document.body.setAttribute("data-points", String(points));
})();
