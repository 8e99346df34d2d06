import { escapeHtml } from "../shared/http";
import { pageClockScript } from "./page-clock";
import { SOCKJS_PREFIX } from "./realtime";

/**
 * The chat page: SockJS + STOMP exactly as a Spring/Vue front end wires them (sockjs-client and
 * @stomp/stompjs, served by this app, no CDN). Everything a scenario needs to observe is kept on
 * `window.chat`, with times on the browser's clock (performance.timeOrigin + performance.now()). Its scripts and
 * its SockJS URL are root paths under `prefix`, the app's public prefix, as most frameworks write them (a base
 * path, or X-Forwarded-Prefix): a proxy that strips the prefix and does not say so sends them outside it (B17).
 */
export function chatPage(prefix: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>chat</title>
<script src="${escapeHtml(prefix)}/static/sockjs.min.js"></script>
<script src="${escapeHtml(prefix)}/static/stomp.umd.min.js"></script>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:46rem}</style>
</head><body>
<h1>chat <span id="room"></span></h1>
<p>transport: <b id="transport">connecting…</b></p>
<ul id="messages"></ul>
${pageClockScript()}
<script>
var params = new URLSearchParams(location.search);
var now = function () { return performance.timeOrigin + performance.now(); };
var chat = window.chat = {
  user: params.get("user") || "anonymous",
  room: params.get("room") || "lobby",
  startedAt: now(), openedAt: null, connectedAt: null, subscribedAt: null,
  transport: null, received: [], errors: [], closes: []
};
document.getElementById("room").textContent = chat.room;
var sock;
var client = new StompJs.Client({
  webSocketFactory: function () {
    // ?transports=xhr-streaming: the transports SockJS may try (its own option), as an app that forbids WebSocket.
    var transports = params.get("transports");
    sock = new SockJS(new URL(${JSON.stringify(prefix + SOCKJS_PREFIX).replace(/</g, "\\u003c")}, location.href).href, null, transports ? { transports: transports.split(",") } : {});
    sock.addEventListener("open", function () { chat.openedAt = now(); chat.transport = sock.transport; });
    return sock;
  },
  reconnectDelay: 0,
  onConnect: function () {
    chat.connectedAt = now();
    chat.transport = sock.transport;
    document.getElementById("transport").textContent = sock.transport;
    client.watchForReceipt("sub-" + chat.user, function () { chat.subscribedAt = now(); });
    client.subscribe("/topic/" + chat.room, function (message) {
      var m = JSON.parse(message.body);
      m.receivedAt = now();
      chat.received.push(m);
      var li = document.createElement("li");
      li.textContent = m.from + ": " + m.text;
      document.getElementById("messages").appendChild(li);
    }, { receipt: "sub-" + chat.user });
  },
  onStompError: function (frame) { chat.errors.push("STOMP ERROR: " + frame.headers.message); },
  onWebSocketError: function () { chat.errors.push("transport error"); },
  onWebSocketClose: function (event) { chat.closes.push({ code: event.code, reason: event.reason, at: now() }); }
});
client.activate();
window.chatSend = function (text) {
  var sentAt = now();
  try {
    client.publish({ destination: "/topic/" + chat.room, headers: { "content-type": "application/json" }, body: JSON.stringify({ from: chat.user, text: text, sentAt: sentAt }) });
  } catch (e) {
    // e.g. "There is no underlying STOMP connection": the transport was closed under the chat.
    chat.errors.push("send failed: " + e.message);
    return null;
  }
  return sentAt;
};
</script></body></html>`;
}
