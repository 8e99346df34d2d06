import type { Expectation } from "./expectation";
import type { Observations, ScenarioName } from "./observations";
import { sizeText } from "../lib/byte-sizes";

type Rule<S extends ScenarioName> = (
  o: Observations[S],
) => NonNullable<Expectation<Observations[S]>["diagnosis"]> | null;

/** The parts of two URLs that differ: scheme, host, port, path. */
export function urlDifferences(received: string, registered: string): string[] {
  let a: URL;
  let b: URL;
  try {
    a = new URL(received);
    b = new URL(registered);
  } catch {
    return [`it is not a URL (${received})`];
  }
  const port = (u: URL) => u.port || (u.protocol === "https:" ? "443" : "80");
  const out: string[] = [];
  if (a.protocol !== b.protocol)
    out.push(`scheme ${a.protocol.replace(":", "")} instead of ${b.protocol.replace(":", "")}`);
  if (a.hostname !== b.hostname) out.push(`host ${a.hostname} instead of ${b.hostname}`);
  if (port(a) !== port(b)) out.push(`port ${port(a)} instead of ${port(b)}`);
  if (a.pathname !== b.pathname) out.push(`path ${a.pathname} instead of ${b.pathname}`);
  return out;
}

/** Whether `received` is `registered` with a leading path prefix taken off (`/oauth/callback` for `/app/oauth/callback`). */
function lostPrefix(received: string, registered: string): boolean {
  const a = new URL(received).pathname;
  const b = new URL(registered).pathname;
  return b.length > a.length && b.endsWith(a);
}

/** B18: the redirect of the prefix without its slash sent the browser to another origin. */
/** How a redirect's Location differs from the origin the browser used (the registered redirect_uri's): `port 8443 instead of 443`. */
export function locationDifferences(location: string, registeredRedirectUri: string): string[] {
  const publicOrigin = new URL(registeredRedirectUri).origin;
  return urlDifferences(new URL(location, publicOrigin).origin, publicOrigin);
}

/**
 * The app's URLs that kept the prefix and still got 404 or 403: the app answers every path under its prefix, so
 * another rule of the proxy took them (a regex location for static files). `GET /app/static/x.js 404`.
 */
export function failedUnderPrefix(o: Observations["sub-path"]): string[] {
  return o.failedRequests.filter((f) => {
    const [, path, status] = f.split(" ");
    return path?.startsWith(`${o.prefix}/`) && (status === "404" || status === "403");
  });
}

function leakedRedirect(o: Observations["sub-path"]): ReturnType<Rule<"sub-path">> {
  if (!o.redirectLeftOrigin || !o.bareLocation) return null;
  const parts = locationDifferences(o.bareLocation, o.registeredRedirectUri);
  return {
    bug: "B18",
    why: `${o.prefix} answered ${o.bareStatus} with Location: ${o.bareLocation}, another ${parts.map((p) => p.split(" ")[0]).join(", ")} than the browser used (${parts.join(", ")}); the browser ended on ${o.bareEnded}.`,
    fix: [
      "# the proxy's own redirects: relative (nginx: absolute_redirect off;) or without its listen port (port_in_redirect off;); the app's: forward Host and X-Forwarded-Proto/Port as the browser used them",
    ],
  };
}

/** B11 read off an SSE timing: events sent apart that arrived together. */
function batched(o: Observations["sse-timing"]): ReturnType<Rule<"sse-timing">> {
  return o.verdict === "batched"
    ? {
        bug: "B11",
        why: `Events sent ${o.intervalMs} ms apart arrived together (spread ${o.arrivalSpreadMs} ms): something between the app and the browser holds the stream.`,
        fix: [
          "# turn response buffering (and compression) off for the event stream, or send X-Accel-Buffering: no from the app",
        ],
      }
    : null;
}

/**
 * Diagnoses read off the observation itself, for symptoms whose table rows are one variant's literal values (a
 * redirect_uri of `http://app/…`): what a user's config shows is the same field report with other values.
 */
export const SYMPTOM_RULES: { [S in ScenarioName]?: Rule<S> } = {
  "random-uuid": (o) =>
    o.status === 200 && !o.isSecureContext && o.protocol === "http:"
      ? {
          bug: "B3",
          why: "The page is plain http on a real host name: no secure context, so crypto.randomUUID (and every secure-context API) is missing.",
          fix: ["# serve the site over TLS (and redirect http to https)"],
        }
      : null,
  "session-cookie": (o) =>
    o.loginStatus === 302 && !o.setCookieSeen && o.finalState === "sign-in"
      ? {
          bug: "B13",
          why:
            o.pageProtocol === "http:"
              ? "The site is plain http: the app marks its session cookie Secure and never sets it over http, so the next page asks to sign in again."
              : "The sign-in answer set no session cookie and the next page asked to sign in again: the app did not see the request as https (no X-Forwarded-Proto), so its Secure cookie was not set.",
          fix: ["# forward X-Forwarded-Proto (the scheme the browser used) to the app, and serve the site over TLS"],
        }
      : null,
  "sse-connection-limit": (o) =>
    o.pageProtocol === "http/1.1" && o.streamsWithFirstEvent < o.streams
      ? {
          bug: "B5",
          why: `Over HTTP/1.1 the browser keeps 6 connections per host: ${o.streamsWithFirstEvent} of ${o.streams} streams opened${o.fetchCompleted ? "" : " and the fetch beside them waited"}.`,
          fix: ["# HTTP/2 to the browser (it needs TLS)"],
        }
      : null,
  "sockjs-chat": (o) => {
    // Users on two replicas, each session whole over WebSocket, each replica with its own in-memory broker (a
    // fallback's session spread over replicas is sockjs-replicas' B20; recorded observations lack the field).
    const apart = (o.serverReplicas ?? []).length > 1;
    if (!o.delivered && apart && o.transportFamily === "websocket" && o.peerTransportFamily === "websocket")
      return {
        bug: "B20",
        why: `The two users' SockJS sessions were opened on ${o.serverReplicas.join(" and ")}, and the chat was not delivered: each replica keeps its own in-memory STOMP broker, so a message reaches only the users on the replica it was sent to. Affinity keeps one session whole, not a room.`,
        fix: [
          "# the app: a broker the replicas share (a STOMP broker relay to RabbitMQ or ActiveMQ, Redis pub/sub)",
          "# meanwhile one affinity key for every user (nginx ip_hash, HAProxy balance source) only hides it behind one address",
        ],
        fixIn: "app",
      };
    // A redirected handshake (3xx) is not a missing Upgrade: a WebSocket does not follow redirects (B17's root paths).
    const redirected =
      o.websocketHandshakeStatus !== null && o.websocketHandshakeStatus >= 300 && o.websocketHandshakeStatus < 400;
    return o.transportFamily !== null && o.transportFamily !== "websocket" && !redirected
      ? {
          bug: "B6",
          why: `The WebSocket handshake got ${o.websocketHandshakeStatus ?? "no answer"}, not 101: SockJS fell back to ${o.transport}.`,
          fix: ["# forward the Upgrade and Connection headers (HTTP/1.1 to the app)"],
        }
      : null;
  },
  "big-headers": (o) => {
    // The smallest step must pass both ways: else the failure is not about size.
    if (o.responseLadder[0]?.status !== 200 || o.requestLadder[0]?.status !== 200) return null;
    if (o.firstFailingResponseBytes === null && o.firstFailingRequestBytes === null) return null;
    const kb = (n: number) => `${Math.round(n / 1024)} KB`;
    const parts = [
      o.firstFailingResponseBytes !== null
        ? `${kb(o.firstFailingResponseBytes)} of response headers (Set-Cookie) got ${o.responseFailStatus ?? "no answer"}${o.responseFailText ? ` ("${o.responseFailText}")` : ""}`
        : "",
      o.firstFailingRequestBytes !== null
        ? `${kb(o.firstFailingRequestBytes)} of request headers (Cookie) got ${o.requestFailStatus ?? "no answer"}${o.requestFailText ? ` ("${o.requestFailText}")` : ""}`
        : "",
    ].filter(Boolean);
    return {
      bug: "B14",
      why: `${parts.join("; ")}, while 2 KB passed: the proxy's buffer for a header block is smaller.${o.proxyLogLines[0] ? ` The proxy logged: ${o.proxyLogLines[0]}` : ""}`,
      fix: [
        "# raise the proxy's header buffers (nginx: proxy_buffer_size 32k; large_client_header_buffers 4 32k;), or send smaller cookies",
      ],
    };
  },
  "upload-limit": (o) => {
    // The smallest step must pass: else the failure is not about size.
    if (o.ladder[0]?.status !== 200) return null;
    if (o.firstFailingBytes === null && !o.bodyHeld) return null;
    const parts = [
      o.firstFailingBytes !== null
        ? `a ${sizeText(o.firstFailingBytes)} upload got ${o.failStatus ?? "no answer"}${o.failText ? ` ("${o.failText}")` : ""} while ${sizeText(o.ladder[0].bytes)} passed: the proxy's body limit is smaller`
        : "",
      o.bodyHeld
        ? "the app saw nothing of a streamed upload until the page had sent all of it: the proxy holds a whole body before passing it on"
        : "",
    ].filter(Boolean);
    return {
      bug: "B19",
      why: `${parts.join("; ")}.${o.proxyLogLines[0] ? ` The proxy logged: ${o.proxyLogLines[0]}` : ""}`,
      fix: [
        "# raise the proxy's body limit (nginx: client_max_body_size 50m;) and pass uploads on as they arrive (nginx: proxy_request_buffering off;)",
      ],
    };
  },
  "websocket-origin": (o) =>
    o.rejections.length > 0 && (o.rawHandshakeStatus === 403 || o.sockjsHandshakeStatus === 403)
      ? {
          bug: "B15",
          why: `The app refused the WebSocket handshake (403): its origin check compared Origin ${o.rejections[0]!.origin ?? "(none)"} with Host ${o.rejectedHost ?? "(none)"}${o.sockjsTransport && o.sockjsTransport !== "websocket" ? `; SockJS fell back to ${o.sockjsTransport}` : ""}.`,
          fix: [
            "# forward the Host the browser sent (nginx: proxy_set_header Host $http_host; Apache: ProxyPreserveHost On), or allow this origin in the app",
          ],
        }
      : !o.rawOpened &&
          o.rawHandshakeStatus !== null &&
          o.rawHandshakeStatus !== 101 &&
          o.rawHandshakeStatus !== 200 &&
          o.rawHandshakeStatus !== 403
        ? {
            bug: "B6",
            why: `The WebSocket handshake got ${o.rawHandshakeStatus}, not 101: the Upgrade did not reach the app.`,
            fix: ["# forward the Upgrade and Connection headers (HTTP/1.1 to the app)"],
          }
        : null,
  "websocket-raw": (o) =>
    !o.opened && o.handshakeStatus !== 101 && o.handshakeStatus !== 200
      ? {
          bug: "B6",
          why: `The WebSocket handshake got ${o.handshakeStatus ?? "no answer"}, not 101: the Upgrade did not reach the app.`,
          fix: ["# forward the Upgrade and Connection headers (HTTP/1.1 to the app)"],
        }
      : null,
  "sse-timing": (o) => batched(o),
  // The app's X-Accel-Buffering: no reaches only the hop next to it (nginx hides X-Accel-* from the next one):
  // a hop in front of that one still holds the stream (two nginx hops, docs/edge.md).
  "sse-timing-x-accel": (o) => batched(o),
  "sse-open-latency": (o) =>
    o.openMs !== null && o.openMs >= o.firstEventDelayMs
      ? {
          bug: "B11",
          why: `The stream opened after ${o.openMs} ms, with its first event (sent at ${o.firstEventDelayMs} ms), not when the app flushed its headers${o.openMsWithOpeningComment !== null && o.openMsWithOpeningComment >= o.firstEventDelayMs ? "; an opening comment did not help either" : ""}.`,
          fix: [
            "# turn response buffering off for the event stream; from the app: an opening comment after the headers",
          ],
        }
      : null,
  "sse-idle-resume": (o) =>
    o.quietReconnects > 0
      ? {
          bug: "B12",
          why: `A stream quiet for ${o.quietGapMs} ms was cut and came back ${o.quietReconnects} time(s).`,
          fix: ["# a longer idle timeout for streams, and heartbeats more often than it"],
        }
      : null,
  "oauth-login": (o) => {
    if (o.outcome !== "redirect_uri_mismatch" || !o.providerReceivedRedirectUri) return null;
    const parts = urlDifferences(o.providerReceivedRedirectUri, o.registeredRedirectUri);
    if (
      parts.length > 0 &&
      parts.every((p) => p.startsWith("path")) &&
      lostPrefix(o.providerReceivedRedirectUri, o.registeredRedirectUri)
    )
      return {
        bug: "B17",
        why: `The app built its redirect_uri without its path prefix: ${o.providerReceivedRedirectUri} instead of the registered ${o.registeredRedirectUri}. The proxy strips the prefix and nothing tells the app.`,
        fix: [
          "# send X-Forwarded-Prefix with the stripped prefix (nginx: proxy_set_header X-Forwarded-Prefix /app;), or keep the prefix and give the app its base path",
        ],
      };
    return {
      bug: "B1",
      why: `The app built its redirect_uri from what the proxy forwarded: ${o.providerReceivedRedirectUri} differs from the registered ${o.registeredRedirectUri} in its ${parts.join(", ")}.`,
      fix: [
        "# forward what the browser used: the scheme (X-Forwarded-Proto), the Host with its port, and a stripped path prefix (X-Forwarded-Prefix)",
      ],
    };
  },
  "form-redirect": (o) => {
    if (o.locationDiffers.length === 0 || o.location === null) return null;
    const onlyPath = o.locationDiffers.every((d) => d.startsWith("path"));
    return onlyPath
      ? {
          bug: "B17",
          why: `The app's redirect after the form post lost its path prefix (Location: ${o.location}; ${o.locationDiffers.join(", ")}). The proxy strips the prefix and nothing tells the app.`,
          fix: [
            "# send X-Forwarded-Prefix with the stripped prefix (nginx: proxy_set_header X-Forwarded-Prefix /app;), or keep the prefix and give the app its base path",
          ],
        }
      : {
          bug: "B18",
          why: `The app answered the form post with Location: ${o.location}, built from what the proxy forwarded: its ${o.locationDiffers.join(", ")}. The browser ended on ${o.ended}.`,
          fix: [
            "# forward what the browser used: the Host with its port, and the scheme (X-Forwarded-Proto); or rewrite the app's Location on the way out (nginx proxy_redirect, Apache ProxyPassReverse)",
          ],
        };
  },
  "split-upload": (o) =>
    o.wireStatus === 413
      ? {
          bug: "B19",
          why: `The proxy refused the 2 MiB upload with 413${o.uploadStatus === null ? `, and its error page carries no CORS headers: the front end reads no status, only ${o.browserError ? `"${o.browserError}"` : "a failed fetch"}` : ""}.`,
          fix: ["# raise the API's upload limit (nginx: client_max_body_size 50m; in the API's server block)"],
        }
      : null,
  "sockjs-replicas": (o) =>
    o.fallbackSpread || o.websocketSpread
      ? {
          bug: "B20",
          why: `One SockJS session's requests reached ${(o.fallbackSpread ? o.fallbackReplicas : o.websocketReplicas).join(" and ")}${o.fallbackFailed.length ? `: ${o.fallbackFailed.join(", ")} from the replica that never opened it` : ""}${o.fallbackDelivered ? "" : "; nothing was delivered"}: the proxy did not keep that session on one replica.`,
          fix: [
            "# keep a client on one replica: nginx ip_hash; HAProxy balance source or a cookie; Apache stickysession; Caddy lb_policy ip_hash or cookie",
          ],
        }
      : // Over HTTP the page works, but its WebSocket-only session never opened: the upgrade, not the balancing.
        o.websocketTransport === null && o.fallbackTransport !== null
        ? {
            bug: "B6",
            why: "The WebSocket-only session never opened while the xhr-streaming one did: the proxy does not pass the WebSocket upgrade to the replicas.",
            fix: ["# forward the Upgrade and Connection headers (HTTP/1.1 to the app)"],
          }
        : null,
  "sub-path": (o) => {
    const redirectLost = o.redirectUriKeptPrefix === false;
    const failedUnder = failedUnderPrefix(o);
    if (o.leftPrefix.length === 0 && !redirectLost && failedUnder.length > 0)
      return {
        bug: "B17",
        why: `The app's URLs keep the prefix ${o.prefix}, but ${failedUnder.join(", ")} did not reach the app${o.transport === null ? "; the chat never connected" : ""}: another rule of the proxy answers paths under the prefix.`,
        fix: [
          `# send every path under ${o.prefix} to the app (nginx: \`location ^~ ${o.prefix}/\`, so no regex location takes its files)`,
        ],
      };
    if (o.leftPrefix.length === 0 && !redirectLost) return leakedRedirect(o);
    const left = o.leftPrefix.map((r) => o.failedRequests.find((f) => f.startsWith(`${r} `)) ?? `${r} (answered)`);
    return {
      bug: "B17",
      why: `The app is published under ${o.prefix}, but its own URLs lost the prefix: ${[...left, ...(redirectLost ? [`the sign-in's redirect_uri ${o.sentRedirectUri}`] : [])].join(", ")}${o.transport === null ? "; the chat never connected" : ""}${o.streamPath !== null && o.streamEvents === 0 ? "; the app's event stream delivered nothing" : ""}. The proxy strips ${o.prefix} and nothing tells the app.`,
      fix: [
        `# send X-Forwarded-Prefix ${o.prefix} to the app (nginx: proxy_set_header X-Forwarded-Prefix ${o.prefix};), or keep the prefix and give the app its base path`,
      ],
    };
  },
  "client-address": (o) =>
    o.status === 200 && o.whose !== "browser"
      ? {
          bug: "B22",
          why: `The app takes ${o.clientAddress} for the client's address (${o.xRealIp ? `X-Real-IP: ${o.xRealIp}` : o.xForwardedFor ? `X-Forwarded-For: ${o.xForwardedFor}, its last entry` : "its TCP peer"}), the ${o.whose === "edge" ? "edge's" : o.whose === "proxy" ? "proxy's" : "address of neither hop nor"} address, not the browser's (${o.browserAddress}): rate limits, audit logs and sign-in checks see one client.`,
          fix: [
            "# have the proxy behind the edge trust it for the client's address (nginx: set_real_ip_from + real_ip_header X-Forwarded-For)",
          ],
        }
      : null,
  "idle-timeout": (o) => {
    if (o.notChecked || (!o.quietStreamCut && !o.quietSocketClosed)) return null;
    const cut = [
      o.quietStreamCut
        ? o.quietStreamPageSawCut
          ? `a quiet stream after ${Math.round((o.quietStreamCutAfterMs ?? 0) / 1000)} s`
          : `a quiet stream after ${Math.round((o.quietStreamAppSawCutAfterMs ?? 0) / 1000)} s without the page learning of it (it still looks open, and no event will come)`
        : null,
      o.quietSocketClosed ? `a quiet WebSocket after ${Math.round((o.quietSocketClosedAfterMs ?? 0) / 1000)} s` : null,
    ].filter(Boolean);
    // Behind an edge the shorter hop's timeout cuts first; the plan names the hop (docs/edge.md).
    const edgeCut = /^the edge's/.test(o.quietStreamCut ? (o.streamTimeoutFrom ?? "") : (o.tunnelTimeoutFrom ?? ""));
    return {
      bug: edgeCut ? "B23" : "B12",
      why: `The ${edgeCut ? "edge" : "proxy"} closed ${cut.join(" and ")} (streams: ${o.streamTimeoutFrom}; WebSockets: ${o.tunnelTimeoutFrom})${o.heartbeatStreamCut ? "" : `; a stream with a heartbeat every ${Math.round((o.heartbeatMs ?? 0) / 1000)} s was not cut`}.`,
      fix: [
        "# raise the idle timeout for the streaming locations, or",
        `# send a heartbeat (': ping' / a STOMP heart-beat) more often than every ${Math.round((o.streamTimeoutMs ?? 0) / 1000)} s`,
      ],
      fixIn: "app",
    };
  },
};
