import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { exitOnSignals, requiredEnv, router, sendText } from "../shared/http";
import { provider } from "./provider";

const httpsPort = Number(process.env.PORT ?? 9443);
const debugPort = Number(process.env.DEBUG_PORT ?? 9080);

const { routes, debugRoutes } = provider({
  clientId: requiredEnv("OAUTH_CLIENT_ID"),
  clientSecret: requiredEnv("OAUTH_CLIENT_SECRET"),
  redirectUri: requiredEnv("REGISTERED_REDIRECT_URI"),
});

// The provider is reached directly (never through the proxy under test), over TLS like a real one.
const server = https.createServer(
  { cert: readFileSync(requiredEnv("TLS_CERT")), key: readFileSync(requiredEnv("TLS_KEY")) },
  router({ ...routes, "GET /healthz": (_req, res) => sendText(res, 200, "ok\n") }),
);
// What the provider saw, for the harness only: plain http on its own port.
const debug = http.createServer(router({ ...debugRoutes, "GET /healthz": (_req, res) => sendText(res, 200, "ok\n") }));

server.listen(httpsPort, () => console.log(`mock OAuth provider listening on :${httpsPort} (https)`));
debug.listen(debugPort, () => console.log(`mock OAuth provider debug listening on :${debugPort}`));
exitOnSignals(server, debug);
