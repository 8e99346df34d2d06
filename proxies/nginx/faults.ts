import type { LineEdit } from "../adapt";
import { at, walk, type ConfigNode } from "../config-tree";
import {
  appAdvice,
  cannotTell,
  canInsert,
  editable,
  insertInto,
  lineOf,
  setAt,
  siteOf,
  type Fault,
  type FaultQuery,
  type Symptom,
} from "../faults";
import type { PreparedConfig } from "../prepare";
import {
  effective,
  effectiveSet,
  levelsFor,
  nginxServers,
  nginxTimeMs,
  selectLocation,
  selectServer,
} from "./effective";
import { compareVersions } from "./versions";
import { sizeText } from "../../lib/byte-sizes";

/** What the request met in the config: its server, the levels it passed and their effective directives. */
interface Place {
  readonly config: PreparedConfig;
  readonly q: FaultQuery;
  readonly server: ConfigNode;
  /** http, server, locations: outermost first. */
  readonly levels: readonly ConfigNode[];
  /** The innermost editable level: the location that served the path, else the server. */
  readonly inner: ConfigNode;
  readonly where: string;
}

const blockName = (n: ConfigNode) => `${n.name}${n.args.length ? ` ${n.args.join(" ")}` : ""}`;
const atLeast = (q: FaultQuery, v: string) => compareVersions(q.nginxVersion ?? "1.22", v) >= 0;

/** A header's effective `proxy_set_header`, by name. */
function header(p: Place, name: string): ConfigNode | undefined {
  return effectiveSet(p.levels, "proxy_set_header").nodes.find((n) => n.args[0]?.toLowerCase() === name.toLowerCase());
}

/**
 * Edits that add `proxy_set_header` lines where they take effect: beside the ones of the level that sets the
 * effective set (adding one in a location would drop every inherited one), else in the location itself.
 */
function addHeaders(p: Place, lines: readonly string[], why: string): LineEdit[] {
  const { level, nodes } = effectiveSet(p.levels, "proxy_set_header");
  if (level && editable(p.config, level)) return insertInto(p.config, level, lines, why, nodes.at(-1));
  return insertInto(p.config, p.inner, lines, why);
}

/**
 * B16: a header the config does set, at an outer level, that does not reach the app because an inner level sets
 * `proxy_set_header` of its own (nginx then inherits none). The fault names both levels and every header lost;
 * the fix repeats the lost ones beside the inner level's own. Null when none of `names` is lost that way.
 */
function lostByInheritance(p: Place, names: readonly string[]): Fault | null {
  const inner = effectiveSet(p.levels, "proxy_set_header");
  if (!inner.level) return null;
  const outer = effectiveSet(p.levels.slice(0, p.levels.indexOf(inner.level)), "proxy_set_header");
  if (!outer.level) return null;
  const key = (n: ConfigNode) => n.args[0]?.toLowerCase() ?? "";
  const own = new Set(inner.nodes.map(key));
  const lost = outer.nodes.filter((n) => !own.has(key(n)));
  if (!lost.some((n) => names.some((name) => name.toLowerCase() === key(n)))) return null;
  const lines = lost.map((n) => `proxy_set_header ${n.args.join(" ")};`);
  const first = inner.nodes[0]!;
  return {
    bug: "B16",
    cause: `\`${blockName(inner.level)}\` sets proxy_set_header of its own, so nginx inherits none of the ${outer.nodes.length} set in \`${blockName(outer.level)}\` (${outer.nodes[0]!.file}:${outer.nodes[0]!.line}): ${lost.map((n) => n.args[0]).join(", ")} never reach the app at ${p.q.path}.`,
    where: { how: "set", site: siteOf(p.config, first) },
    fix: lines,
    edits: editable(p.config, inner.level)
      ? insertInto(
          p.config,
          inner.level,
          lines,
          "repeat the headers this block would otherwise lose",
          inner.nodes.at(-1),
        )
      : [],
    fixIn: "config",
  };
}

function missing(p: Place, bug: string, cause: string, fix: readonly string[], edits: readonly LineEdit[]): Fault {
  return {
    bug,
    cause,
    where: { how: "missing", site: siteOf(p.config, p.inner), block: blockName(p.inner) },
    fix,
    edits,
    fixIn: "config",
  };
}

/** A directive at fault: changed where it is set (in the user's files), else added in the location that served the path. */
function setOrAdd(
  p: Place,
  node: ConfigNode | undefined,
  bug: string,
  cause: string,
  to: string,
  line: string,
  why: string,
): Fault {
  return node && editable(p.config, node)
    ? setAt(p.config, node, bug, cause, node.args[0]!, to)
    : missing(p, bug, cause, [line], insertInto(p.config, p.inner, [line], why));
}

/**
 * B18: nginx's own redirects (a location's slash, `return 301 /x`) are absolute, with the scheme, name and port it
 * was reached on (`absolute_redirect`, `port_in_redirect`, both on by default): behind a port mapping, the port it
 * listens on, not the browser's.
 */
function leakedRedirect(p: Place, wrong: ReadonlyArray<"scheme" | "host" | "port">): Fault[] {
  const inner = [...p.levels].reverse().flatMap((l) => l.children ?? []);
  const absolute = inner.find((n) => n.name === "absolute_redirect");
  if (absolute?.args[0] === "off")
    return [cannotTell("B18", "absolute_redirect is off, yet a redirect named another origin (the app's own?)")];
  const cause = `nginx's own redirects are absolute (absolute_redirect on, the default) and carry ${wrong.includes("port") ? "the port nginx listens on (port_in_redirect on), not the one the browser used" : `the ${wrong.join(" and ")} nginx was reached on`}.`;
  return [
    absolute && editable(p.config, absolute)
      ? setAt(p.config, absolute, "B18", cause, absolute.args[0]!, "off")
      : {
          bug: "B18",
          cause,
          where: { how: "missing", site: siteOf(p.config, p.server), block: blockName(p.server) },
          fix: ["absolute_redirect off;"],
          edits: insertInto(
            p.config,
            p.server,
            ["absolute_redirect off;"],
            "redirects relative to the URL the browser used",
          ),
          fixIn: "config",
        },
  ];
}

function redirectUri(p: Place, wrong: ReadonlyArray<"scheme" | "host" | "port" | "path">, hostOnly = false): Fault[] {
  const out: Fault[] = [];
  const hostHeaders = hostOnly ? ["Host"] : ["Host", "X-Forwarded-Host"];
  // A header set at server level but lost in the location: one fault names every lost header (B16).
  const lost = lostByInheritance(p, [
    ...(wrong.includes("scheme") ? ["X-Forwarded-Proto"] : []),
    ...(wrong.includes("host") || wrong.includes("port") ? hostHeaders : []),
  ]);
  if (lost) return [lost];
  const nonDefaultPort = !(p.q.port === 443 || p.q.port === 80);
  const hostValue = nonDefaultPort ? "$http_host" : "$host";
  if (wrong.includes("scheme") && p.q.behindEdge) {
    // Behind a TLS edge, nginx passes the edge's X-Forwarded-Proto on unless a line replaces it (B21).
    const xfp = header(p, "X-Forwarded-Proto");
    if (xfp && !/^\$http_x_forwarded_proto$/i.test(xfp.args[1] ?? ""))
      out.push(
        setAt(
          p.config,
          xfp,
          "B21",
          `\`proxy_set_header X-Forwarded-Proto ${xfp.args[1]}\` overwrites the edge's https with this hop's own scheme (http): the edge terminates TLS, so nginx is reached over http.`,
          xfp.args[1]!,
          "$http_x_forwarded_proto",
        ),
      );
    else
      out.push(
        cannotTell("B21", `no line here replaces the edge's X-Forwarded-Proto at ${p.q.path}, yet the app saw http`),
      );
  } else if (wrong.includes("scheme")) {
    const xfp = header(p, "X-Forwarded-Proto");
    if (!xfp)
      out.push(
        missing(
          p,
          "B1",
          `No X-Forwarded-Proto reaches the app at ${p.q.path}, so it takes the scheme it was reached on (http).`,
          ["proxy_set_header X-Forwarded-Proto $scheme;"],
          addHeaders(p, ["proxy_set_header X-Forwarded-Proto $scheme;"], "the app builds https URLs"),
        ),
      );
    else if (!["$scheme", "https"].includes(xfp.args[1] ?? ""))
      out.push(
        setAt(
          p.config,
          xfp,
          "B1",
          `X-Forwarded-Proto is \`${xfp.args[1]}\`, not the scheme the browser used.`,
          xfp.args[1]!,
          "$scheme",
        ),
      );
  }
  if (wrong.includes("host") || wrong.includes("port")) {
    const xfh = hostOnly ? undefined : header(p, "X-Forwarded-Host");
    const host = header(p, "Host");
    const culprit = xfh ?? host;
    if (!culprit)
      out.push(
        missing(
          p,
          "B1",
          `No \`proxy_set_header Host\` at ${p.q.path}: nginx sends the upstream's own name, and the app builds its URL on it.`,
          [`proxy_set_header Host ${hostValue};`],
          addHeaders(p, [`proxy_set_header Host ${hostValue};`], "the app sees the host (and port) the browser used"),
        ),
      );
    else if (wrong.includes("port") && !wrong.includes("host") && /^\$host$/.test(culprit.args[1] ?? ""))
      out.push(
        setAt(
          p.config,
          culprit,
          "B1",
          `\`${culprit.args[0]} $host\` drops the port the browser used (${p.q.port}).`,
          "$host",
          "$http_host",
        ),
      );
    else if (!/^\$(http_host|host)$/.test(culprit.args[1] ?? ""))
      out.push(
        setAt(
          p.config,
          culprit,
          "B1",
          `${culprit.args[0]} is \`${culprit.args[1]}\`, not the host the browser used.`,
          culprit.args[1]!,
          hostValue,
        ),
      );
    else out.push(cannotTell("B1", `${culprit.args[0]} is ${culprit.args[1]}, yet the app saw another host`));
  }
  if (wrong.includes("path")) out.push(...lostPrefix(p, "B1"));
  return out;
}

/** B17 (and B1's path): the app was reached without its prefix, and no X-Forwarded-Prefix names it. */
function lostPrefix(p: Place, bug: string, under?: string): Fault[] {
  // The app's URLs kept the prefix, yet `under` failed: a regex location that takes it.
  if (under) {
    const regex = regexOverPrefix(p, bug, under);
    return regex.length ? regex : [cannotTell(bug, `${under} is under the prefix, yet it did not reach the app`)];
  }
  if (!p.q.prefix || header(p, "X-Forwarded-Prefix"))
    return [cannotTell(bug, "the app's URLs lost the prefix, and no header of the config says why")];
  return [
    missing(
      p,
      bug,
      `The app is reached without the prefix ${p.q.prefix}, and no X-Forwarded-Prefix tells it the prefix.`,
      [`proxy_set_header X-Forwarded-Prefix ${p.q.prefix};`],
      addHeaders(p, [`proxy_set_header X-Forwarded-Prefix ${p.q.prefix};`], "the app builds URLs under its prefix"),
    ),
    ...regexOverPrefix(p, bug),
  ];
}

/**
 * Once under its prefix, the app's own files must still reach it: a regex location (`~* \.(js|css)$`, for a
 * site's static files) wins over a plain prefix location, so `/app/static/x.js` would be answered from nginx's
 * root. `^~` on the prefix location makes nginx skip the regexes for paths under it.
 */
function regexOverPrefix(p: Place, bug: string, path = `${p.q.prefix}/static/sockjs.min.js`): Fault[] {
  const page = p.levels[2];
  const asset = selectLocation(p.server, path)[0];
  if (!page || !asset || asset === page || page.args.length !== 1 || !/^~\*?$/.test(asset.args[0] ?? "")) return [];
  if (!editable(p.config, page)) return [];
  return [
    setAt(
      p.config,
      page,
      bug,
      `\`${siteOf(p.config, asset).quote}\` wins over \`location ${page.args[0]}\` for the app's own files under the prefix (nginx checks regex locations after the longest prefix unless it has ^~): they are answered from nginx's root, not the app.`,
      page.args[0]!,
      `^~ ${page.args[0]}`,
    ),
  ];
}

/** The server's listen for the browser's port, and the edits that give it TLS (and HTTP/2) on 443. */
/**
 * B22: behind an edge, nginx's $remote_addr is the edge's address unless the realip module takes the client's from
 * the edge's X-Forwarded-For; X-Real-IP $remote_addr and $proxy_add_x_forwarded_for then carry the edge's.
 */
function clientAddress(p: Place, s: Extract<Symptom, { bug: "B22" }>): Fault[] {
  const trusted = effective(p.levels, "set_real_ip_from");
  const header = effective(p.levels, "real_ip_header");
  const lines = ["set_real_ip_from 10.0.0.0/8;  # the load balancer's network", "real_ip_header X-Forwarded-For;"];
  if (!trusted)
    return [
      {
        bug: "B22",
        cause: `The app took ${s.from === "peer" ? "its peer" : s.from} for the client's address, and it is the ${s.whose === "edge" ? "edge's" : `${s.whose}'s`}: nginx's $remote_addr is the load balancer's address, since no set_real_ip_from trusts it to name the client in X-Forwarded-For.`,
        where: { how: "missing", site: siteOf(p.config, p.server), block: "server" },
        fix: lines,
        edits: insertInto(
          p.config,
          p.server,
          lines,
          "nginx takes the client's address from the edge's X-Forwarded-For",
        ),
        fixIn: "config",
      },
    ];
  if (!header || !/^x-forwarded-for$/i.test(header.args[0] ?? ""))
    return [
      header
        ? setAt(
            p.config,
            header,
            "B22",
            `\`real_ip_header ${header.args[0]}\`: the edge sends the client's address in X-Forwarded-For.`,
            header.args[0]!,
            "X-Forwarded-For",
          )
        : {
            bug: "B22",
            cause: `set_real_ip_from trusts the edge (${at(trusted)}), but without \`real_ip_header X-Forwarded-For\` nginx reads X-Real-IP, which the edge does not send.`,
            where: { how: "missing", site: siteOf(p.config, p.server), block: "server" },
            fix: [lines[1]!],
            edits: insertInto(p.config, p.server, [lines[1]!], "nginx reads the edge's X-Forwarded-For", trusted),
            fixIn: "config",
          },
    ];
  return [cannotTell("B22", `set_real_ip_from ${trusted.args[0]} does not take in the edge's address here`)];
}

function plainHttp(p: Place, bug: string, what: string): Fault {
  const listen = p.server.children?.find((d) => d.name === "listen") ?? p.server;
  const h2 = atLeast(p.q, "1.25.1") ? ["listen 443 ssl;", "http2 on;"] : ["listen 443 ssl http2;"];
  const lines = [
    ...h2,
    `ssl_certificate /etc/letsencrypt/live/${p.q.host}/fullchain.pem;`,
    `ssl_certificate_key /etc/letsencrypt/live/${p.q.host}/privkey.pem;`,
  ];
  // Once the browser uses https, the app must be told so, or its own URLs (a redirect_uri) stay http (B1).
  const xfp = header(p, "X-Forwarded-Proto") ? [] : ["proxy_set_header X-Forwarded-Proto $scheme;"];
  return {
    bug,
    cause: `The browser reaches this server over plain http (${siteOf(p.config, listen).quote}): ${what}.`,
    where: { how: "set", site: siteOf(p.config, listen) },
    fix: [...lines, ...xfp],
    edits: [
      ...insertInto(p.config, p.server, lines, "serve the site over TLS with HTTP/2", listen),
      ...addHeaders(p, xfp, "the app learns it is served over https"),
    ],
    fixIn: "config",
  };
}

function http2(p: Place): Fault {
  // `ssl on;` (before nginx 1.25.1) makes every listen of its server a TLS one.
  const sslOn = p.server.children?.some((d) => d.name === "ssl" && d.args[0] === "on") ?? false;
  const tlsListen = (d: ConfigNode) => d.name === "listen" && (sslOn || d.args.includes("ssl"));
  const listen =
    p.server.children?.find((d) => tlsListen(d) && d.args[0]?.endsWith(`${p.q.port}`)) ??
    p.server.children?.find(tlsListen);
  if (!listen) return cannotTell("B5", "no TLS listen found for the port the browser used");
  const cause = `TLS without HTTP/2 (${siteOf(p.config, listen).quote}): the browser speaks HTTP/1.1 and holds 6 connections per host.`;
  if (atLeast(p.q, "1.25.1"))
    return {
      bug: "B5",
      cause,
      where: { how: "missing", site: siteOf(p.config, p.server), block: "server" },
      fix: ["http2 on;"],
      edits: insertInto(p.config, p.server, ["http2 on;"], "HTTP/2 to the browser", listen),
      fixIn: "config",
    };
  // Measured (docs/findings.md): before 1.25 nginx's HTTP/2 sends a response's headers with its first body bytes.
  const before125 = `${cause} On nginx ${p.q.nginxVersion ?? "1.22"}, HTTP/2 then holds a quiet stream's headers until its first bytes: have the app send an opening comment, or move to nginx 1.25.1 or later.`;
  return listen.args.includes("ssl")
    ? setAt(p.config, listen, "B5", before125, "ssl", "ssl http2")
    : setAt(p.config, listen, "B5", before125, listen.args[0]!, `${listen.args[0]} http2`);
}

function upgrade(p: Place): Fault[] {
  const lost = lostByInheritance(p, ["Upgrade", "Connection"]);
  if (lost) return [lost];
  const up = header(p, "Upgrade");
  const conn = header(p, "Connection");
  const version = effective(p.levels, "proxy_http_version");
  const lines = [
    ...(!atLeast(p.q, "1.29.7") && version?.args[0] !== "1.1" ? ["proxy_http_version 1.1;"] : []),
    ...(up ? [] : ["proxy_set_header Upgrade $http_upgrade;"]),
    ...(conn && /upgrade/i.test(conn.args[1] ?? "") ? [] : ['proxy_set_header Connection "upgrade";']),
  ];
  if (up && conn && /upgrade/i.test(conn.args[1] ?? ""))
    return [cannotTell("B6", `Upgrade and Connection are forwarded at ${p.q.path}; the handshake failed elsewhere`)];
  if (conn && !/upgrade/i.test(conn.args[1] ?? "") && up)
    return [
      setAt(
        p.config,
        conn,
        "B6",
        `Connection is \`${conn.args[1] || '""'}\`: the Upgrade is not asked of the app.`,
        conn.args[1] === "" ? '""' : conn.args[1]!,
        '"upgrade"',
      ),
    ];
  const headerLines = lines.filter((l) => l.startsWith("proxy_set_header"));
  const edits = [
    ...(lines[0]?.startsWith("proxy_http_version")
      ? insertInto(p.config, p.inner, [lines[0]], "HTTP/1.1 to the app (an Upgrade needs it)")
      : []),
    ...addHeaders(p, headerLines, "forward the WebSocket handshake"),
  ];
  return [
    missing(
      p,
      "B6",
      `The Upgrade and Connection headers are not forwarded at ${p.q.path} (nginx drops hop-by-hop headers): the handshake reaches the app as a plain GET.`,
      lines,
      edits,
    ),
  ];
}

function buffered(p: Place, how: "batched" | "late-open", h2: boolean): Fault[] {
  const out: Fault[] = [];
  const gzip = effective(p.levels, "gzip");
  const types = effective(p.levels, "gzip_types");
  if (gzip?.args[0] === "on" && types && types.args.some((t) => t === "text/event-stream" || t === "*")) {
    const only = types.args.length === 1;
    out.push({
      bug: "B11",
      cause: `gzip compresses text/event-stream (${siteOf(p.config, types).quote}): nginx holds events until its compression buffer fills.`,
      where: { how: "set", site: siteOf(p.config, types) },
      fix: [only ? "gzip_types text/plain;" : siteOf(p.config, types).quote.replace(/\s+(text\/event-stream|\*)/, "")],
      edits: editable(p.config, types)
        ? [
            only
              ? { at: types, find: types.args[0]!, replace: "text/plain", why: "no compression of event streams" }
              : {
                  at: types,
                  find: ` ${types.args.find((t) => t === "text/event-stream" || t === "*")}`,
                  replace: "",
                  why: "no compression of event streams",
                },
          ]
        : [],
      fixIn: "config",
    });
  }
  const buffering = effective(p.levels, "proxy_buffering");
  const version = effective(p.levels, "proxy_http_version");
  const http10 = !atLeast(p.q, "1.29.7") && version?.args[0] !== "1.1";
  // Measured: over HTTP/2 a buffering nginx still passes each event on (the buffering-on variant streams), so
  // buffering batches a stream only to an HTTP/1.1 browser or from an HTTP/1.0 upstream; it always holds the
  // headers of a stream that has not written yet (a late open).
  if ((!buffering || buffering.args[0] === "on") && (how === "late-open" || !h2 || http10)) {
    const why = `${buffering ? `proxy_buffering is on` : "proxy_buffering is on (nginx's default)"}${http10 ? ", and nginx talks HTTP/1.0 to the app (no proxy_http_version 1.1)" : ""}: nginx holds the stream in its buffers${how === "late-open" ? ", opening comment included" : ""}.`;
    out.push(setOrAdd(p, buffering, "B11", why, "off", "proxy_buffering off;", "stream events as they come"));
  }
  if (how === "late-open" && h2 && !atLeast(p.q, "1.25")) {
    out.push({
      bug: "B11",
      cause: `nginx ${p.q.nginxVersion ?? "1.22"}'s HTTP/2 sends a response's headers only with its first body bytes: the stream opens with its first event.`,
      where: null,
      fix: ["# nginx 1.25 or later sends them at once; from the app: an opening comment (': open') after the headers"],
      edits: [],
      fixIn: "version",
    });
  }
  return out.length ? out : [cannotTell("B11", `nothing at ${p.q.path} buffers or compresses the stream`)];
}

function idle(p: Place, s: { stream: boolean; socket: boolean }): Fault[] {
  const read = effective(p.levels, "proxy_read_timeout");
  const ms = read ? nginxTimeMs(read.args[0] ?? "") : 60_000;
  const what = [s.stream ? "a quiet stream" : null, s.socket ? "a quiet WebSocket" : null]
    .filter(Boolean)
    .join(" and ");
  const cause = `${read ? `proxy_read_timeout ${read.args[0]}` : "nginx's default proxy_read_timeout (60 s)"} closes ${what} after ${Math.round((ms ?? 60_000) / 1000)} s at ${p.q.path}.`;
  const config = setOrAdd(p, read, "B12", cause, "1h", "proxy_read_timeout 1h;", "streams may be quiet for long");
  return [
    config,
    appAdvice("B12", "Any idle timeout ends a stream that stays quiet long enough; a heartbeat keeps it open.", [
      `# from the app: a comment (': ping') or a STOMP heart-beat more often than every ${Math.round((ms ?? 60_000) / 2000)} s`,
    ]),
  ];
}

/** nginx's buffers for big headers: the upstream's response headers, and the client's request headers. */
export const BIG_RESPONSE_HEADERS_FIX = [
  "proxy_buffer_size 32k;",
  "proxy_buffers 8 32k;",
  "proxy_busy_buffers_size 64k;",
];
export const BIG_REQUEST_HEADERS_FIX = ["large_client_header_buffers 4 32k;"];

/**
 * B14: a header block bigger than nginx's buffer for it. The upstream's response headers must fit one
 * `proxy_buffer_size` buffer (one memory page, 4k, by default): 502 "upstream sent too big header". A request
 * header line must fit one `large_client_header_buffers` buffer (4 × 8k): 400 "Request Header Or Cookie Too
 * Large". The three proxy_* sizes move together: nginx refuses a busy size over all buffers minus one. 32k, not
 * the usual 16k: 16k was measured to refuse the ladder's 24 KB.
 */
function bigHeaders(p: Place, side: "response" | "request", bytes: number): Fault[] {
  const kb = `${Math.round(bytes / 1024)} KB`;
  if (side === "response") {
    const size = effective(p.levels, "proxy_buffer_size");
    const cause = `nginx reads the app's response headers into one proxy_buffer_size buffer (${size ? size.args[0] : "4k, one memory page, by default"}): ${kb} of Set-Cookie does not fit, and nginx answers 502 ("upstream sent too big header").`;
    if (size && editable(p.config, size)) {
      const others = ["proxy_buffers", "proxy_busy_buffers_size"].filter((d) => !effective(p.levels, d));
      const rest = BIG_RESPONSE_HEADERS_FIX.filter((l) => others.some((d) => l.startsWith(`${d} `)));
      const fault = setAt(p.config, size, "B14", cause, size.args[0]!, "32k");
      return [
        {
          ...fault,
          fix: [...fault.fix, ...rest],
          edits: [...fault.edits, ...insertInto(p.config, p.inner, rest, "room for big response headers", size)],
        },
      ];
    }
    return [
      missing(
        p,
        "B14",
        cause,
        BIG_RESPONSE_HEADERS_FIX,
        insertInto(p.config, p.inner, BIG_RESPONSE_HEADERS_FIX, "room for big response headers"),
      ),
    ];
  }
  const large = effective(
    p.levels.filter((l) => l.name !== "location"),
    "large_client_header_buffers",
  );
  const cause = `nginx keeps each request header line in one large_client_header_buffers buffer (${large ? large.args.join(" ") : "4 8k by default"}): ${kb} of Cookie does not fit, and nginx answers 400 ("Request Header Or Cookie Too Large").`;
  if (large && editable(p.config, large)) return [setAt(p.config, large, "B14", cause, large.args.join(" "), "4 32k")];
  return [
    {
      bug: "B14",
      cause,
      where: { how: "missing", site: siteOf(p.config, p.server), block: blockName(p.server) },
      fix: BIG_REQUEST_HEADERS_FIX,
      edits: canInsert(p.config, p.server)
        ? insertInto(p.config, p.server, BIG_REQUEST_HEADERS_FIX, "room for many cookies")
        : [],
      fixIn: "config",
    },
  ];
}

/** nginx's fix for uploads: room for a few tens of megabytes, and the body passed on as it arrives. */
export const UPLOAD_FIX = ["client_max_body_size 50m;", "proxy_request_buffering off;"];

/** An nginx size ("1m", "512k", "0") in bytes; 0 means no limit. */
function nginxBytes(size: string): number | null {
  const m = /^(\d+)([kmg]?)$/i.exec(size.trim());
  if (!m) return null;
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  return Number(m[1]) * unit;
}

/**
 * B19: an upload refused by `client_max_body_size` (1m by default, at any level: 413 "Request Entity Too
 * Large"), and a body held whole by `proxy_request_buffering on` (the default) before the app sees a byte.
 */
function uploads(p: Place, bytes: number | null, held: boolean | null): Fault[] {
  const out: Fault[] = [];
  if (bytes !== null) {
    const size = effective(p.levels, "client_max_body_size");
    const limit = size ? nginxBytes(size.args[0] ?? "") : 1024 ** 2;
    const cause = `nginx refuses a request body over client_max_body_size (${size ? size.args[0] : "1m by default"}): a ${sizeText(bytes)} upload gets 413 ("client intended to send too large body").`;
    if (limit !== null && limit !== 0 && limit < bytes) {
      if (size && editable(p.config, size)) out.push(setAt(p.config, size, "B19", cause, size.args[0]!, "50m"));
      else
        out.push({
          ...missing(p, "B19", cause, [UPLOAD_FIX[0]!], []),
          where: { how: "missing", site: siteOf(p.config, p.server), block: blockName(p.server) },
          edits: canInsert(p.config, p.server)
            ? insertInto(p.config, p.server, [UPLOAD_FIX[0]!], "room for uploads")
            : [],
        });
    } else
      out.push(
        cannotTell(
          "B19",
          `client_max_body_size here is ${size?.args[0] ?? "1m"}, which a ${sizeText(bytes)} body passes`,
        ),
      );
  }
  const buffering = effective(p.levels, "proxy_request_buffering");
  const bufferingOn = buffering?.args[0] !== "off";
  const version = effective(p.levels, "proxy_http_version");
  // nginx's docs: a body of unknown length (an HTTP/2 upload, chunked) is read whole whatever
  // proxy_request_buffering says, unless nginx speaks HTTP/1.1 to the app (measured: held on a corrected copy).
  const http10 = !atLeast(p.q, "1.29.7") && version?.args[0] !== "1.1";
  // Not seen over HTTP/1.1 (Chromium streams no body there), but there all the same: a fix that brings HTTP/2 (B5)
  // shows it, so it is named with the limit (measured: fix-check's corrected copies then held the body).
  const unseen = held === null && bytes !== null && (bufferingOn || http10);
  if (held || unseen) {
    const shown = held
      ? "the app saw nothing of an upload until its end"
      : "over HTTP/1.1 the page could not show it; over HTTP/2 the app sees nothing of an upload until its end";
    if (bufferingOn) {
      const cause = `nginx reads a whole request body before passing any of it to the app (proxy_request_buffering on, the default): ${shown}.`;
      out.push(setOrAdd(p, buffering, "B19", cause, "off", UPLOAD_FIX[1]!, "pass uploads on as they arrive"));
    }
    if (http10) {
      const cause = `nginx talks HTTP/1.0 to the app (no proxy_http_version 1.1), which has no chunked encoding: an upload of unknown length (HTTP/2) is read whole whatever proxy_request_buffering says: ${shown}.`;
      out.push(
        setOrAdd(
          p,
          version,
          "B19",
          cause,
          "1.1",
          "proxy_http_version 1.1;",
          "HTTP/1.1 to the app (an upload of unknown length needs it)",
        ),
      );
    }
    if (!bufferingOn && !http10)
      out.push(
        cannotTell("B19", "proxy_request_buffering is off and nginx speaks HTTP/1.1 here, yet the body was held"),
      );
  }
  return out;
}

/** nginx's balancing directives that keep one client on one server: `hash` only with a key that names the client. */
const keepsClient = (d: ConfigNode) =>
  d.name === "ip_hash" ||
  d.name === "sticky" ||
  (d.name === "hash" &&
    /\$(binary_)?remote_addr|\$realip_remote_addr|\$cookie_|\$http_cookie|\$http_x_forwarded_for|\$http_x_real_ip/.test(
      d.args[0] ?? "",
    ));

/**
 * B20: the location proxies to an upstream {} of several servers that balances each request on its own
 * (round-robin, the default, or least_conn): a session's later requests reach a server that never opened it.
 */
function noAffinity(p: Place): Fault[] {
  const pass = effective(p.levels, "proxy_pass");
  const name = pass?.args[0] ? /^https?:\/\/([^/:]+)/.exec(pass.args[0])?.[1] : undefined;
  const upstream = [...walk(p.config.tree)]
    .map(({ node }) => node)
    .find((n) => n.name === "upstream" && n.args[0] === name && n.children);
  if (!upstream)
    return [
      cannotTell(
        "B20",
        `${pass ? `\`${siteOf(p.config, pass).quote}\`` : "the location"} names no upstream {} of several servers`,
      ),
    ];
  const kept = upstream.children!.find(keepsClient);
  if (kept)
    return [
      cannotTell(
        "B20",
        `\`${siteOf(p.config, kept).quote}\` should keep a client on one server, yet its session reached two`,
      ),
    ];
  const servers = upstream.children!.filter((c) => c.name === "server").length;
  const method = upstream.children!.find((c) => ["least_conn", "random", "hash"].includes(c.name));
  // The whole directive is replaced (`random two least_conn;`, `hash $request_uri;`): ip_hash takes no argument.
  const text = method ? lineOf(p.config, method) : "";
  const start = method ? text.indexOf(method.name) : -1;
  const end = text.indexOf(";", start);
  const written = method && start >= 0 && end > start ? text.slice(start, end) : method?.name;
  const cause = `\`upstream ${upstream.args[0]}\` balances each request over its ${servers} servers on its own (${method ? method.name : "round-robin, the default"}): the HTTP fallbacks' later requests of one session reach a server that never opened it.`;
  const fix = ["ip_hash;"];
  return [
    method && editable(p.config, method)
      ? setAt(p.config, method, "B20", cause, written!, "ip_hash", false)
      : {
          bug: "B20",
          cause,
          where: { how: "missing", site: siteOf(p.config, upstream), block: blockName(upstream) },
          fix,
          edits: editable(p.config, upstream)
            ? insertInto(p.config, upstream, fix, "one client, one server: a session's requests stay together")
            : [],
          fixIn: "config",
        },
  ];
}

/**
 * A route collision: the location that served the path is a prefix without a slash boundary (`location /ws`) that
 * the path only extends (`/ws-echo`, `/ws-stomp/…`), so a request meant for another location went to this one's
 * upstream (and, with a URI part in proxy_pass, lost the prefix: `/ws-echo` as `/-echo`). Null when none.
 */
function routeCollision(p: Place): Fault | null {
  const location = [...p.levels].reverse().find((l) => l.name === "location");
  if (!location || location.args.length !== 1) return null;
  const prefix = location.args[0]!;
  const rest = p.q.path.slice(prefix.length);
  if (prefix.endsWith("/") || !p.q.path.startsWith(prefix) || rest === "" || rest.startsWith("/")) return null;
  const pass = (location.children ?? []).find((d) => d.name === "proxy_pass");
  const uriPart = pass && /^[a-z]+:\/\/[^/]+\/./.test(`${pass.args[0]}x`) && !pass.args[0]!.includes("$");
  const sent = uriPart ? `${pass!.args[0]!.replace(/^[a-z]+:\/\/[^/]+/, "")}${rest}` : p.q.path;
  const to = uriPart ? `${prefix}/` : `~ ^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(/|$)`;
  return {
    ...setAt(
      p.config,
      location,
      p.q.symptom.bug,
      `\`location ${prefix}\` (${location.file}:${location.line}) also takes ${p.q.path}: a prefix location matches without a slash boundary, so ${p.q.path} went to ${pass ? `\`${siteOf(p.config, pass).quote}\` as ${sent}` : "this location"}, not where the rest of the app goes.`,
      prefix,
      to,
    ),
  };
}

/** The causes of a symptom in an nginx config, at the server and location that served the request. */
export function nginxFaults(config: PreparedConfig, q: FaultQuery): Fault[] {
  const faults = causesIn(config, q);
  const found = selectServer(nginxServers(config.tree, config.layout ?? "site"), q.host, q.port);
  if (!found || "app" in q.symptom) return faults;
  const levels = levelsFor(found, q.path);
  const inner = [...levels].reverse().find((l) => editable(config, l)) ?? found.server;
  const collision = routeCollision({ config, q, server: found.server, levels, inner, where: blockName(inner) });
  // The collision first: the other causes read the wrong location's directives.
  return collision ? [collision, ...faults.filter((f) => f.where !== null)] : faults;
}

function causesIn(config: PreparedConfig, q: FaultQuery): Fault[] {
  const found = selectServer(nginxServers(config.tree, config.layout ?? "site"), q.host, q.port);
  if (!found) return [cannotTell(q.symptom.bug, `no server block answers ${q.host}:${q.port}`)];
  const levels = levelsFor(found, q.path);
  const inner = [...levels].reverse().find((l) => editable(config, l)) ?? found.server;
  const p: Place = { config, q, server: found.server, levels, inner, where: blockName(inner) };
  const s: Symptom = q.symptom;
  if ("app" in s) return [];
  switch (s.bug) {
    case "B1":
      return redirectUri(
        p,
        (s as Extract<Symptom, { bug: "B1" }>).wrong,
        (s as Extract<Symptom, { bug: "B1" }>).hostOnly,
      );
    case "B17":
      return lostPrefix(p, "B17", (s as Extract<Symptom, { bug: "B17" }>).under);
    case "B18":
      return leakedRedirect(p, (s as Extract<Symptom, { bug: "B18" }>).wrong);
    case "B20":
      return noAffinity(p);
    case "B22":
      return clientAddress(p, s as Extract<Symptom, { bug: "B22" }>);
    case "B3":
      return [plainHttp(p, "B3", "no secure context, so crypto.randomUUID and every secure-context API are missing")];
    case "B5":
      return (s as Extract<Symptom, { bug: "B5" }>).tls
        ? [http2(p)]
        : [plainHttp(p, "B5", "browsers speak HTTP/2 only over TLS, and HTTP/1.1 allows 6 connections per host")];
    case "B6":
      return upgrade(p);
    case "B11": {
      const b = s as Extract<Symptom, { bug: "B11" }>;
      return buffered(p, b.how, b.h2);
    }
    case "B12": {
      const b = s as Extract<Symptom, { bug: "B12" }>;
      return idle(p, b);
    }
    case "B14": {
      const b = s as Extract<Symptom, { bug: "B14" }>;
      return [
        ...(b.response !== null ? bigHeaders(p, "response", b.response) : []),
        ...(b.request !== null ? bigHeaders(p, "request", b.request) : []),
      ];
    }
    case "B19": {
      const b = s as Extract<Symptom, { bug: "B19" }>;
      return uploads(p, b.bytes, b.held);
    }
    default:
      return [cannotTell(q.symptom.bug, "no rule reads this field report from an nginx config")];
  }
}
