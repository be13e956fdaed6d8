/* Draws the dashboard charts with ECharts from the JSON the page embeds (id="dashboard-data").
   Every chart has a table with the same numbers next to it; a click on a unit opens its dashboard. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var data = {};
  var L = {};
  var FLAG_COLOURS = { green: "#1e7b34", amber: "#e0a100", red: "#c8161d", none: "#adb5bd" };
  var charts = [];

  function pctAxis(max) {
    return { type: "value", min: 0, max: max === undefined ? 100 : max, axisLabel: { formatter: "{value}%" } };
  }

  var builders = {
    trend: function () {
      var series = [
        { name: L.completion, type: "line", data: data.trend.completion, smooth: true, connectNulls: true, lineStyle: { width: 3 }, itemStyle: { color: "#c8161d" } },
        { name: L.on_time, type: "line", data: data.trend.on_time, connectNulls: true, itemStyle: { color: "#1e7b34" } },
        { name: L.branch, type: "line", data: data.trend.branch, connectNulls: true, itemStyle: { color: "#0b5cad" } },
        { name: L.member, type: "line", data: data.trend.member, connectNulls: true, itemStyle: { color: "#9a6700" } }
      ];
      if (data.trend.last_year) {
        series.push({ name: L.last_year, type: "line", data: data.trend.last_year, connectNulls: true,
          lineStyle: { type: "dashed" }, itemStyle: { color: "#6c757d" } });
      }
      return {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
        legend: { type: "scroll", top: 0 },
        grid: { left: 8, right: 32, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.trend.days, boundaryGap: false },
        yAxis: pctAxis(),
        series: series
      };
    },
    units: function (dark, width) {
      var units = data.units.slice().reverse();
      var narrow = !dark && width < 480;  // a phone: shorter names, fewer ticks, so the bars keep their room
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
        grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
        xAxis: narrow ? Object.assign(pctAxis(), { splitNumber: 2 }) : pctAxis(),
        yAxis: { type: "category", data: units.map(function (u) { return u.name; }),
          axisLabel: { color: dark ? "#e6e8eb" : undefined, fontSize: dark ? 18 : 12,
            width: narrow ? 110 : (dark ? 360 : 220), overflow: "truncate" } },
        series: [{
          name: L.completion, type: "bar", barMaxWidth: 28,
          data: units.map(function (u) { return { value: u.value, url: u.url, itemStyle: { color: FLAG_COLOURS[u.flag] || FLAG_COLOURS.none } }; }),
          label: { show: true, position: "right", formatter: function (p) { return p.value === null || p.value === undefined ? "—" : p.value + "%"; },
            color: dark ? "#f1f3f5" : undefined, fontSize: dark ? 18 : 12 }
        }]
      };
    },
    categories: function () {
      var cats = data.categories;
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: cats.map(function (c) { return c.label; }) },
        yAxis: { type: "value", name: L.pledges, minInterval: 1 },
        series: [
          { name: L.fulfilled, type: "bar", stack: "n", data: cats.map(function (c) { return { value: c.fulfilled, url: c.url }; }), itemStyle: { color: "#1e7b34" } },
          { name: L.open, type: "bar", stack: "n", data: cats.map(function (c) { return { value: c.open, url: c.url }; }), itemStyle: { color: "#adb5bd" } },
          { name: L.overdue, type: "bar", stack: "n", data: cats.map(function (c) { return { value: c.overdue, url: c.url }; }), itemStyle: { color: "#c8161d" } }
        ]
      };
    },
    sectors: function () {
      var sectors = data.sectors;
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: sectors.map(function (s) { return s.label; }), axisLabel: { interval: 0, rotate: sectors.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", name: L.pledges, minInterval: 1 },
        series: [
          { name: L.total, type: "bar", data: sectors.map(function (s) { return s.total; }), itemStyle: { color: "#8c9bb0" } },
          { name: L.fulfilled, type: "bar", data: sectors.map(function (s) { return s.fulfilled; }), itemStyle: { color: "#1e7b34" } }
        ]
      };
    }
  };

  function draw() {
    var dataNode = document.getElementById("dashboard-data");
    if (!dataNode) { return; }
    data = JSON.parse(dataNode.textContent);
    L = data.labels || {};
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    document.querySelectorAll("[data-chart]").forEach(drawOne);
  }

  function drawOne(node) {
    var build = builders[node.getAttribute("data-chart")];
    if (!build) { return; }
    var dark = node.getAttribute("data-theme") === "dark";
    if (!dark && node.getAttribute("data-chart") === "units" && data.units) {
      // One row per unit: the chart grows with the number of units instead of squeezing them.
      node.style.height = Math.max(240, data.units.length * 26 + 48) + "px";
    }
    var chart = echarts.init(node, dark ? "dark" : null, { renderer: "canvas" });
    var option = build(dark, node.clientWidth);
    if (dark) { option.backgroundColor = "transparent"; }
    option.animation = !dark;
    chart.setOption(option);
    chart.on("click", function (params) {
      if (params.data && params.data.url) { window.location.href = params.data.url; }
    });
    charts.push(chart);
  }

  draw();
  // The wall view replaces its body every few seconds (htmx): draw the new unit's charts.
  document.body.addEventListener("htmx:afterSettle", draw);

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  // Charts drawn inside a hidden area get their size when it is shown (e.g. after printing or collapsing).
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });

  var fullscreen = document.querySelector("[data-fullscreen]");
  if (fullscreen && document.documentElement.requestFullscreen) {
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen(); }
    });
  } else if (fullscreen) {
    fullscreen.hidden = true;
  }
}());
