import http from "node:http";
import { exitOnSignals, requiredEnv, router, sendHtml, sendText } from "../shared/http";
import { oauthRoutes } from "./oauth-routes";
import { indexPage, randomUuidPage } from "./pages";
import { publicOrigin } from "./public-url";

const port = Number(process.env.PORT ?? 80);

const server = http.createServer(
  router({
    "GET /": (req, res) => sendHtml(res, 200, indexPage(publicOrigin(req.headers))),
    "GET /random-uuid": (_req, res) => sendHtml(res, 200, randomUuidPage()),
    "GET /healthz": (_req, res) => sendText(res, 200, "ok\n"),
    ...oauthRoutes({
      clientId: requiredEnv("OAUTH_CLIENT_ID"),
      clientSecret: requiredEnv("OAUTH_CLIENT_SECRET"),
      authorizeUrl: requiredEnv("OAUTH_AUTHORIZE_URL"),
      tokenUrl: requiredEnv("OAUTH_TOKEN_URL"),
      userInfoUrl: requiredEnv("OAUTH_USERINFO_URL"),
      timeoutMs: Number(process.env.OAUTH_TIMEOUT_MS ?? 5000),
    }),
  }),
);

server.listen(port, () => console.log(`fixture app listening on :${port}`));
exitOnSignals(server);
