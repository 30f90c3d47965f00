/* The supervision dashboard's charts: ECharts (vendored, static/dashboard/echarts/) drawn
   from the page's JSON data island (#dashboard-data); no inline script or style (the
   site's CSP). A click on a bar opens the list it counts, as the tables' links do. The
   tables below carry the same figures for readers without script. */
(function () {
  "use strict";

  function open(params) {
    var url = params && params.data && params.data.url;
    if (url) { window.location.href = url; }
  }

  function chart(id, option) {
    var node = document.getElementById(id);
    if (!node || !window.echarts) { return null; }
    var c = window.echarts.init(node, null, { renderer: "canvas" });
    option.animation = false;
    // Plain-text tooltips: no HTML markup with style attributes (the CSP).
    option.tooltip = Object.assign({ renderMode: "richText" }, option.tooltip || {});
    c.setOption(option);
    c.on("click", open);
    return c;
  }

  function start() {
    var island = document.getElementById("dashboard-data");
    if (!island || !window.echarts) { return; }
    var data = JSON.parse(island.textContent);
    var L = data.labels;
    var grid = { left: 8, right: 16, top: 32, bottom: 8, containLabel: true };
    var charts = [];
    charts.push(chart("chart-statuses", {
      grid: grid,
      tooltip: { trigger: "item" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.statuses.map(function (s) { return s.label; }) },
      series: [{ type: "bar", name: L.cases, data: data.statuses, itemStyle: { color: "#2a5d9f" },
                 label: { show: true, position: "right" } }]
    }));
    charts.push(chart("chart-warnings", {
      grid: grid,
      legend: { top: 0 },
      tooltip: { trigger: "item" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.organs,
               axisLabel: { width: 120, overflow: "truncate" } },
      series: [
        { type: "bar", stack: "w", name: L.red, data: data.warnings.red, itemStyle: { color: "#b3261e" } },
        { type: "bar", stack: "w", name: L.yellow, data: data.warnings.yellow, itemStyle: { color: "#e0a800" } }
      ]
    }));
    charts.push(chart("chart-trend", {
      grid: grid,
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.trend.days },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { type: "line", name: L.red, data: data.trend.red, itemStyle: { color: "#b3261e" } },
        { type: "line", name: L.yellow, data: data.trend.yellow, itemStyle: { color: "#e0a800" } }
      ]
    }));
    charts.push(chart("chart-money", {
      grid: grid,
      legend: { top: 0 },
      tooltip: { trigger: "item" },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: data.organs,
               axisLabel: { width: 120, overflow: "truncate" } },
      series: [
        { type: "bar", name: L.fines, data: data.money.fines, itemStyle: { color: "#2a5d9f" } },
        { type: "bar", name: L.collected, data: data.money.collected, itemStyle: { color: "#3c8d40" } }
      ]
    }));
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { if (c) { c.resize(); } });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
