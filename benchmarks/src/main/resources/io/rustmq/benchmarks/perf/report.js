// rustmq-perf report renderer: draws the runs embedded in #rustmq-perf-data as inline SVG charts.
// No network, no library: the page is self-contained. Every data point is an <circle class="pt">, every bar a
// <rect class="bar">, so a test can count what was drawn.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  var runs = JSON.parse(document.getElementById('rustmq-perf-data').textContent);

  // Presentation by class, as attributes (not only CSS), so that a chart copied out of the page is a complete SVG.
  var STYLE = {
    title: { 'font-size': 13, 'font-weight': 600, 'font-family': 'sans-serif', fill: '#222' },
    tick: { 'font-size': 11, 'font-family': 'sans-serif', fill: '#444' },
    axislabel: { 'font-size': 12, 'font-family': 'sans-serif', fill: '#333' },
    axis: { stroke: '#333' },
    grid: { stroke: '#e5e5e5' },
    ceiling: { 'stroke-dasharray': '6 4', 'stroke-width': 1.5 }
  };
  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    var style = STYLE[attrs['class']] || {};
    Object.keys(style).forEach(function (k) { e.setAttribute(k, style[k]); });
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function html(name, text, parent) {
    var e = document.createElement(name);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function fmt(v, digits) {
    if (v === null || v === undefined || v < 0 || !isFinite(v)) { return '-'; }
    return Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  }
  function label(run) { return run.test + (runs.length > 1 && run.source ? ' (' + run.source + ')' : ''); }
  function niceMax(v) {
    if (!(v > 0)) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var m = [1, 2, 2.5, 5, 10].find(function (f) { return f * p >= v; });
    return m * p;
  }

  // A line chart: series = [{name, color, points: [[x, y], ...]}], lines = [{y, name, color}] (horizontal).
  function lineChart(container, id, title, xLabel, yLabel, series, opts) {
    opts = opts || {};
    var legendItems = series.concat(opts.lines || []);
    var W = 760, L = 70, R = 20, T = 30, B = 45 + 16 * legendItems.length, H = 255 + B;
    var box = html('figure', null, container);
    var svg = el('svg', { 'data-chart': id, viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img' }, box);
    el('rect', { x: 0, y: 0, width: W, height: H, fill: '#fff' }, svg);
    el('text', { x: L, y: 18, 'class': 'title' }, svg).textContent = title;
    var xs = [], ys = [];
    series.forEach(function (s) { s.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
    (opts.lines || []).forEach(function (l) { ys.push(l.y); });
    var xMin = opts.xMin !== undefined ? opts.xMin : 0;
    var xMax = xs.length ? Math.max.apply(null, xs) : 1;
    if (xMax <= xMin) { xMax = xMin + 1; }
    var yMax = niceMax(ys.length ? Math.max.apply(null, ys) : 1);
    function sx(x) { return L + (x - xMin) / (xMax - xMin) * (W - L - R); }
    function sy(y) { return H - B - y / yMax * (H - T - B); }
    el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, 'class': 'axis' }, svg);
    el('line', { x1: L, y1: T, x2: L, y2: H - B, 'class': 'axis' }, svg);
    for (var i = 0; i <= 4; i++) {
      var yv = yMax * i / 4;
      el('line', { x1: L, y1: sy(yv), x2: W - R, y2: sy(yv), 'class': 'grid' }, svg);
      el('text', { x: L - 6, y: sy(yv) + 4, 'text-anchor': 'end', 'class': 'tick' }, svg).textContent = fmt(yv, 2);
    }
    var xTicks = opts.xTicks || [0, 1, 2, 3, 4].map(function (k) { var v = xMin + (xMax - xMin) * k / 4;
      return { x: v, label: fmt(v, 1) }; });
    xTicks.forEach(function (t) {
      if (t.x < xMin || t.x > xMax) { return; }
      el('line', { x1: sx(t.x), y1: T, x2: sx(t.x), y2: H - B, 'class': 'grid' }, svg);
      el('text', { x: sx(t.x), y: H - B + 16, 'text-anchor': 'middle', 'class': 'tick' }, svg).textContent = t.label;
    });
    el('text', { x: (L + W - R) / 2, y: H - B + 34, 'text-anchor': 'middle', 'class': 'axislabel' }, svg)
      .textContent = xLabel;
    el('text', { x: 14, y: (T + H - B) / 2, 'text-anchor': 'middle', 'class': 'axislabel',
      transform: 'rotate(-90 14 ' + (T + H - B) / 2 + ')' }, svg).textContent = yLabel;
    (opts.lines || []).forEach(function (l) {
      el('line', { x1: L, y1: sy(l.y), x2: W - R, y2: sy(l.y), stroke: l.color, 'class': 'ceiling' }, svg);
      el('text', { x: W - R - 4, y: sy(l.y) - 5, 'text-anchor': 'end', 'class': 'tick' }, svg).textContent = l.name;
    });
    series.forEach(function (s) {
      if (s.points.length > 1) {
        el('polyline', { points: s.points.map(function (p) { return sx(p[0]) + ',' + sy(p[1]); }).join(' '),
          fill: 'none', stroke: s.color, 'stroke-width': 2 }, svg);
      }
      s.points.forEach(function (p) {
        var c = el('circle', { cx: sx(p[0]), cy: sy(p[1]), r: 2.5, fill: s.color, 'class': 'pt' }, svg);
        el('title', {}, c).textContent = s.name + ': ' + (p[2] || fmt(p[0], 2)) + ' -> ' + fmt(p[1], 3);
      });
    });
    legend(svg, legendItems, L, H - B + 44);
  }

  // One legend line per item, inside the SVG (so that a chart copied out of the page keeps it).
  function legend(svg, items, x, y) {
    items.forEach(function (s, i) {
      el('rect', { x: x, y: y + i * 16, width: 12, height: 10, fill: s.color }, svg);
      el('text', { x: x + 18, y: y + i * 16 + 9, 'class': 'tick' }, svg).textContent = s.name;
    });
  }

  // Horizontal grouped bars: groups = [name...], series = [{name, color, values: {group: value}}].
  function barChart(container, id, title, unit, groups, series) {
    var rowH = 14, gap = 10, L = 110, R = 80, T = 30, W = 760;
    var H = T + groups.length * (series.length * rowH + gap) + 14 + 16 * series.length;
    var box = html('figure', null, container);
    var svg = el('svg', { 'data-chart': id, viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img' }, box);
    el('rect', { x: 0, y: 0, width: W, height: H, fill: '#fff' }, svg);
    el('text', { x: L, y: 18, 'class': 'title' }, svg).textContent = title;
    var max = 0;
    series.forEach(function (s) { groups.forEach(function (g) { max = Math.max(max, s.values[g] || 0); }); });
    max = niceMax(max);
    groups.forEach(function (g, gi) {
      var y0 = T + gi * (series.length * rowH + gap);
      el('text', { x: L - 6, y: y0 + series.length * rowH / 2 + 4, 'text-anchor': 'end', 'class': 'tick' }, svg)
        .textContent = g;
      series.forEach(function (s, si) {
        var v = s.values[g] || 0;
        var r = el('rect', { x: L, y: y0 + si * rowH, width: Math.max(0.5, v / max * (W - L - R)), height: rowH - 2,
          fill: s.color, 'class': 'bar' }, svg);
        el('title', {}, r).textContent = s.name + ', ' + g + ': ' + fmt(v, 3) + ' ' + unit;
        el('text', { x: L + v / max * (W - L - R) + 4, y: y0 + si * rowH + rowH - 4, 'class': 'tick' }, svg)
          .textContent = fmt(v, 3);
      });
    });
    legend(svg, series, L, T + groups.length * (series.length * rowH + gap) + 4);
  }

  function summaryTable(container) {
    var t = html('table', null, container);
    var head = html('tr', null, html('thead', null, t));
    ['test', 'records', 'seconds', 'records/s', 'MB/s', '% of ceiling MB/s', 'p50 ms', 'p99 ms', 'p99.9 ms',
      'max ms', 'client CPU us/rec', 'broker CPU us/rec', 'errors'].forEach(function (h) { html('th', h, head); });
    var body = html('tbody', null, t);
    runs.forEach(function (r) {
      var tr = html('tr', null, body);
      var lat = r.latency || {};
      [label(r), fmt(r.records, 0), fmt(r.seconds, 2), fmt(r.recordsPerSec, 0), fmt(r.mbPerSec, 2),
        r.ceilingMBps > 0 ? fmt(100 * r.mbPerSec / r.ceilingMBps, 1) + ' %' : '-',
        fmt(lat.p50Ms, 3), fmt(lat.p99Ms, 3), fmt(lat.p999Ms, 3), fmt(lat.maxMs, 3),
        fmt(r.clientCpuMicrosPerRecord, 2), fmt(r.brokerCpuMicrosPerRecord, 2),
        fmt(r.errors, 0) + (r.timedOut ? ' (time limit)' : '')].forEach(function (v) { html('td', v, tr); });
    });
  }

  function settings(container) {
    runs.forEach(function (r) {
      var d = html('details', null, container);
      html('summary', label(r), d);
      var t = html('table', null, d);
      var s = r.settings || {};
      Object.keys(s).forEach(function (k) {
        var tr = html('tr', null, t);
        html('th', k, tr);
        html('td', typeof s[k] === 'object' && s[k] !== null ? JSON.stringify(s[k]) : s[k], tr);
      });
    });
  }

  var main = document.getElementById('report');
  html('h2', 'Summary', main);
  summaryTable(main);

  html('h2', 'Throughput over time', main);
  var withTimeline = runs.filter(function (r) { return (r.timeline || []).length > 0; });
  var ceilings = [];
  runs.forEach(function (r) {
    if (r.ceilingMBps > 0 && !ceilings.some(function (c) { return c.y === r.ceilingMBps; })) {
      ceilings.push({ y: r.ceilingMBps, name: 'transport ceiling ' + fmt(r.ceilingMBps, 1) + ' MB/s'
        + (r.source ? ' (' + r.source + ')' : ''), color: '#555' });
    }
  });
  function timelineSeries(field) {
    return withTimeline.map(function (r, i) {
      return { name: label(r), color: COLORS[runs.indexOf(r) % COLORS.length],
        points: r.timeline.map(function (s) { return [s.second, s[field]]; }) };
    });
  }
  lineChart(main, 'throughput-records', 'Records per second', 'seconds into the run', 'records/s',
    timelineSeries('recordsPerSec'));
  lineChart(main, 'throughput-mb', 'Payload MB per second', 'seconds into the run', 'MB/s',
    timelineSeries('mbPerSec'), { lines: ceilings });

  html('h2', 'Latency by percentile', main);
  var maxX = 0;
  var latencySeries = runs.filter(function (r) { return r.latency && (r.latency.distribution || []).length; })
    .map(function (r) {
      var pts = r.latency.distribution.filter(function (p) { return p.percentile < 100; }).map(function (p) {
        var x = Math.log10(1 / (1 - p.percentile / 100));
        maxX = Math.max(maxX, x);
        return [x, p.ms, fmt(p.percentile, 4) + ' %'];
      });
      return { name: label(r) + ' (' + r.latency.measures + ')', color: COLORS[runs.indexOf(r) % COLORS.length],
        points: pts };
    });
  var pTicks = [{ x: 0, label: '0 %' }, { x: 1, label: '90 %' }, { x: 2, label: '99 %' }, { x: 3, label: '99.9 %' },
    { x: 4, label: '99.99 %' }, { x: 5, label: '99.999 %' }, { x: 6, label: '99.9999 %' }];
  lineChart(main, 'latency', 'Latency by percentile (HdrHistogram log scale)', 'percentile', 'milliseconds',
    latencySeries, { xTicks: pTicks });

  html('h2', 'Client CPU per record by thread group', main);
  var groups = [];
  runs.forEach(function (r) { Object.keys(r.clientCpuByThread || {}).forEach(function (g) {
    if (groups.indexOf(g) < 0) { groups.push(g); } }); });
  var cpuSeries = runs.filter(function (r) { return r.records > 0 && Object.keys(r.clientCpuByThread || {}).length; })
    .map(function (r) {
      var values = {};
      groups.forEach(function (g) { values[g] = (r.clientCpuByThread[g] || 0) * 1e6 / r.records; });
      return { name: label(r), color: COLORS[runs.indexOf(r) % COLORS.length], values: values };
    });
  barChart(main, 'cpu', 'Client CPU microseconds per record, by thread group', 'us/record', groups, cpuSeries);

  html('h2', 'Settings', main);
  settings(main);
  document.body.setAttribute('data-rendered', 'true');
})();
