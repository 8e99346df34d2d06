/**
 * A page for SSE experiments: `sseLab.open(name, url)` opens an EventSource and keeps, on the browser's
 * clock (performance.timeOrigin + performance.now()), when it was created, each `open`, each event (with
 * its id and the server's send time) and each `error` with the readyState after it.
 */
export function sseLabPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SSE lab</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem}</style></head>
<body><h1>SSE lab</h1><pre id="log"></pre>
<script>
var now = function () { return performance.timeOrigin + performance.now(); };
// The page's own clock ticks every 10 ms and keeps its largest gap: arrival times are only as good as the
// page's readiness to take them. Measured on the 2-core VM: without the tick, an idle page now and then
// dispatched an event 100-800 ms after it arrived (missing-upgrade, x-accel: 1 of 15 over G/2); with it,
// 30 of 30 under 13 ms. The tick keeps the page (and the machine) from dozing off between events.
var lag = { maxMs: 0, last: now() };
setInterval(function () { var t = now(); lag.maxMs = Math.max(lag.maxMs, t - lag.last); lag.last = t; }, 10);
window.sseLab = {
  /** The largest gap between the page's 10 ms ticks so far (ms): a stall of the page itself. */
  pageLagMaxMs: function () { return Math.round(lag.maxMs); },
  resetLag: function () { lag.maxMs = 0; lag.last = now(); },
  streams: {},
  // closeAfter: close once that many events arrived, before EventSource's own reconnect after the stream ends.
  open: function (name, url, closeAfter) {
    var s = { url: url, createdAt: now(), opens: [], events: [], errors: [], closedAt: null };
    var es = new EventSource(url);
    s.es = es;
    es.onopen = function () { s.opens.push(now()); };
    es.onmessage = function (e) {
      var data = {};
      try { data = JSON.parse(e.data); } catch (err) { data = { raw: e.data }; }
      s.events.push({ id: e.lastEventId, serverId: data.id, sentAt: data.sentAt, at: now() });
      if (closeAfter && s.events.length >= closeAfter) { es.close(); s.closedAt = now(); }
    };
    es.onerror = function () { s.errors.push({ at: now(), readyState: es.readyState }); };
    this.streams[name] = s;
    document.getElementById("log").textContent += name + " " + url + "\\n";
    return s.createdAt;
  },
  close: function (name) { var s = this.streams[name]; s.es.close(); s.closedAt = now(); return s.closedAt; },
  snapshot: function (name) {
    var s = this.streams[name];
    return { url: s.url, createdAt: s.createdAt, opens: s.opens, events: s.events, errors: s.errors, closedAt: s.closedAt, readyState: s.es.readyState };
  }
};
document.body.dataset.ready = "true";
</script></body></html>`;
}
