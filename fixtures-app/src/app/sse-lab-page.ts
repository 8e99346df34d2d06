import { pageClockScript } from "./page-clock";

/**
 * A page for SSE experiments: `sseLab.open(name, url)` opens an EventSource and keeps, on the browser's
 * clock (performance.timeOrigin + performance.now()), when it was created, each `open`, each event (with
 * its id and the server's send time) and each `error` with the readyState after it. `sseLab.appStream` is the
 * app's own stream URL, a root path under `prefix` (its public prefix), as an app's page writes it (B17).
 */
export function sseLabPage(prefix = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SSE lab</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem}</style></head>
<body><h1>SSE lab</h1><pre id="log"></pre>
${pageClockScript()}
<script>
var now = function () { return performance.timeOrigin + performance.now(); };
window.sseLab = {
  streams: {},
  appStream: ${JSON.stringify(`${prefix}/sse`).replace(/</g, "\\u003c")},
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
