/* 考核指标 charts: ECharts (vendored in core/vendor/echarts) draws the data the page carries in
   #kpi-charts (json_script). No inline script, no CDN: the page's CSP allows scripts from 'self' only.
   The rates are horizontal bars, so that department names read in full; the counts use ECharts' round
   ticks. Printing shows the server's SVG charts instead (cases.css). */
(function () {
  "use strict";

  var source = document.getElementById("kpi-charts");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var colours = data.colours;
  var ROW = 34; // px per category of the rates chart: room for two bars and a readable label

  function base(spec) {
    return {
      color: colours,
      aria: { enabled: true },
      title: { text: spec.title, left: 0, top: 0, textStyle: { fontSize: 15, fontWeight: 600, color: "#1f2933" } },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + spec.unit; }
      },
      legend: { top: 28, left: 0, itemWidth: 12, itemHeight: 12 },
      grid: { left: 4, right: 40, top: 64, bottom: 8, containLabel: true }
    };
  }

  function rates(spec) {
    var option = base(spec);
    option.xAxis = { type: "value", min: 0, max: spec.max, interval: 25, axisLabel: { formatter: "{value}" + spec.unit } };
    option.yAxis = {
      type: "category", data: spec.categories, inverse: true,
      axisTick: { show: false }, axisLabel: { color: "#1f2933", fontSize: 12, interval: 0 }
    };
    option.series = spec.series.map(function (s) {
      return {
        name: s.name, type: "bar", data: s.data, barMaxWidth: 14, barGap: "15%",
        label: {
          show: true, position: "right", fontSize: 11, color: "#616e7c",
          formatter: function (p) { return p.value === null || p.value === undefined ? "" : p.value + spec.unit; }
        }
      };
    });
    return option;
  }

  function trend(spec) {
    var option = base(spec);
    option.xAxis = { type: "category", data: spec.categories, axisTick: { alignWithLabel: true },
                     axisLabel: { hideOverlap: true } };
    option.yAxis = { type: "value", minInterval: 1, splitNumber: 4 };
    option.series = spec.series.map(function (s) {
      return { name: s.name, type: "bar", data: s.data, barMaxWidth: 16 };
    });
    return option;
  }

  // 疑似重复采纳率: the month's answered and pending flags as stacked bars (counts, left axis), the share
  // merged as a line (per cent, right axis); a month with nothing answered has no point.
  function acceptance(spec) {
    var option = base(spec);
    option.tooltip.valueFormatter = undefined;
    option.xAxis = { type: "category", data: spec.categories, axisTick: { alignWithLabel: true },
                     axisLabel: { hideOverlap: true } };
    option.yAxis = [
      { type: "value", minInterval: 1, splitNumber: 4 },
      { type: "value", min: 0, max: 100, interval: 25, axisLabel: { formatter: "{value}" + spec.unit },
        splitLine: { show: false } }
    ];
    option.series = spec.series.map(function (s) {
      var bar = { name: s.name, type: "bar", stack: "flags", data: s.data, barMaxWidth: 16 };
      if (s.colour) { bar.itemStyle = { color: s.colour }; }
      return bar;
    });
    option.series.push({
      name: spec.rate.name, type: "line", yAxisIndex: 1, data: spec.rate.data, connectNulls: true,
      symbolSize: 7, lineStyle: { width: 2 },
      tooltip: { valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + spec.unit; } }
    });
    return option;
  }

  var builders = { rates: rates, trend: trend, acceptance: acceptance };
  var drawn = [];
  document.querySelectorAll(".echart[data-chart]").forEach(function (el) {
    var spec = data[el.dataset.chart];
    if (!spec) { return; }
    if (!spec.categories.length) {
      el.textContent = spec.empty;
      el.classList.add("empty");
      el.dataset.ready = "1";
      return;
    }
    if (el.dataset.chart === "rates") {
      el.style.height = Math.max(240, 90 + ROW * spec.categories.length) + "px";
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(builders[el.dataset.chart](spec));
    drawn.push(chart);
    el.dataset.ready = "1";
  });
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { drawn.forEach(function (c) { c.resize(); }); }, 150);
  });
})();
