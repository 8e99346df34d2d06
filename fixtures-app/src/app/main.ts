import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import tls from "node:tls";
import path from "node:path";
import { exitOnSignals, requiredEnv, router, sendHtml, sendText, type Routes } from "../shared/http";
import { chatPage } from "./chat-page";
import { clientAddressRoutes } from "./client-address";
import { formRoutes } from "./form-routes";
import { headerRoutes } from "./header-routes";
import { oauthRoutes } from "./oauth-routes";
import { sessionRoutes } from "./session-routes";
import { indexPage, randomUuidPage } from "./pages";
import { publicPrefix, stripUnknownPrefix } from "./path-prefix";
import { publicOrigin } from "./public-url";
import { guardOrigin } from "./origin-check";
import { installRealtime } from "./realtime";
import { sseLabPage } from "./sse-lab-page";
import { parseSplitApiOptions, splitApi } from "./split-api";
import { sseRoutes } from "./sse";
import { uploadRoutes } from "./upload-routes";

const port = Number(process.env.PORT ?? 80);
const debugPort = Number(process.env.DEBUG_PORT ?? 8081);
// Client libraries copied from node_modules by fixtures-app/build.ts: the pages load nothing from a CDN.
const publicDir = path.join(__dirname, "..", "public");

function staticScript(file: string): Routes[string] {
  return (_req, res) => {
    res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "max-age=3600" });
    res.end(readFileSync(path.join(publicDir, file)));
  };
}

const sse = sseRoutes();
// The API side of the split-origin topology (its options come per variant, from the environment).
const split = splitApi(parseSplitApiOptions(process.env));
const routes: Routes = {
  ...sse.routes,
  ...split.routes,
  "GET /sse-lab": (req, res) => sendHtml(res, 200, sseLabPage(publicPrefix(req))),
  "GET /": (req, res) => sendHtml(res, 200, indexPage(`${publicOrigin(req.headers)}${publicPrefix(req)}`)),
  "GET /random-uuid": (_req, res) => sendHtml(res, 200, randomUuidPage()),
  "GET /chat": (req, res) => sendHtml(res, 200, chatPage(publicPrefix(req))),
  "GET /static/sockjs.min.js": staticScript("sockjs.min.js"),
  "GET /static/stomp.umd.min.js": staticScript("stomp.umd.min.js"),
  "GET /healthz": (_req, res) => sendText(res, 200, "ok\n"),
  ...sessionRoutes(),
  ...headerRoutes(),
  ...clientAddressRoutes(),
  ...uploadRoutes(),
  ...formRoutes(),
  ...oauthRoutes({
    clientId: requiredEnv("OAUTH_CLIENT_ID"),
    clientSecret: requiredEnv("OAUTH_CLIENT_SECRET"),
    authorizeUrl: requiredEnv("OAUTH_AUTHORIZE_URL"),
    tokenUrl: requiredEnv("OAUTH_TOKEN_URL"),
    userInfoUrl: requiredEnv("OAUTH_USERINFO_URL"),
    timeoutMs: Number(process.env.OAUTH_TIMEOUT_MS ?? 5000),
  }),
};

// Request headers up to 64 KB (Node's default is 16 KB): a big-headers cell must show the proxy's limit, not the app's.
const server = http.createServer({ maxHeaderSize: 64 * 1024 }, router(routes));
const realtime = installRealtime(server, split.realtimeFilter);
Object.assign(routes, realtime.routes);
const origin = guardOrigin(server);
// What the server saw, for the harness only: its own port, never behind the proxy.
const debug = http.createServer(
  router({
    ...realtime.debugRoutes,
    ...sse.debugRoutes,
    ...split.debugRoutes,
    ...origin.debugRoutes,
    "GET /healthz": (_req, res) => sendText(res, 200, "ok\n"),
  }),
);

// Before every route and sockjs: the app answers under any path prefix (path-prefix.ts).
server.prependListener("request", stripUnknownPrefix);
server.prependListener("upgrade", stripUnknownPrefix);

// The app answers on every port a proxy config sends it to (PORTS, plain http; TLS_PORTS, https with the run's
// certificate), all served by the one server: each extra listener hands its connections over.
// STALL=1 (a self-test's hung upstream): every proxied port accepts and never answers; the proxy's own timeout
// must show as a cell's result.
const stall = process.env.STALL === "1";
const held = new Set<net.Socket>();
const hand = (socket: net.Socket) => {
  if (!stall) return server.emit("connection", socket);
  held.add(socket);
  socket.on("close", () => held.delete(socket));
  socket.on("error", () => held.delete(socket));
};
const extras: Array<net.Server> = [];
const listening: Array<Promise<void>> = stall ? [] : [new Promise((resolve) => server.listen(port, resolve))];
for (const p of portList(process.env.PORTS).filter((p) => stall || p !== port)) {
  const extra = net.createServer(hand);
  extras.push(extra);
  listening.push(new Promise((resolve) => extra.listen(p, resolve)));
}
const tlsPorts = portList(process.env.TLS_PORTS);
if (tlsPorts.length > 0) {
  const options = { cert: readFileSync(requiredEnv("TLS_CERT")), key: readFileSync(requiredEnv("TLS_KEY")) };
  for (const p of tlsPorts) {
    const extra = tls.createServer(options, hand);
    extras.push(extra);
    listening.push(new Promise((resolve) => extra.listen(p, resolve)));
  }
}
void Promise.all(listening).then(() => {
  console.log(
    `fixture app ${stall ? "holding every connection unanswered (STALL) " : ""}listening on :${[port, ...portList(process.env.PORTS), ...tlsPorts.map((p) => `${p} (tls)`)].filter((p, i, a) => a.indexOf(p) === i).join(", :")}`,
  );
  debug.listen(debugPort, () => console.log(`fixture app debug listening on :${debugPort}`));
});
exitOnSignals(server, debug, ...extras);

function portList(value: string | undefined): number[] {
  return (value ?? "")
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0 && n < 65536);
}
