import type { LineEdit } from "../adapt";
import { findAll, walk, type ConfigNode } from "../config-tree";
import {
  appAdvice,
  cannotTell,
  canInsert,
  editable,
  insertInto,
  setAt,
  lineOf,
  siteOf,
  type Fault,
  type FaultQuery,
  type Symptom,
} from "../faults";
import type { PreparedConfig } from "../prepare";
import { parseApacheUrl } from "./facts";

const is = (n: ConfigNode, name: string) => n.name.toLowerCase() === name.toLowerCase();

/** The <VirtualHost> that answers host:port (its ServerName or ServerAlias, else the first on that port). */
function vhostFor(config: PreparedConfig, host: string, port: number): ConfigNode | undefined {
  const onPort = findAll(config.tree, "VirtualHost").filter((v) =>
    v.args.some((a) => (/:(\d+)$/.exec(a)?.[1] ?? "80") === String(port) || a === "*" || a === "_default_"),
  );
  const names = (v: ConfigNode) =>
    (v.children ?? []).filter((d) => /^server(name|alias)$/i.test(d.name)).flatMap((d) => d.args);
  return onPort.find((v) => names(v).some((n) => n.replace(/:\d+$/, "") === host)) ?? onPort[0];
}

/**
 * A whole httpd.conf that serves its site outside any <VirtualHost>: the server config, as a block whose
 * directives are the top level's and whose place (for additions) is after its first Listen.
 */
function mainServer(config: PreparedConfig): ConfigNode | undefined {
  const anchor =
    config.tree.find((n) => is(n, "Listen") && editable(config, n)) ?? config.tree.find((n) => editable(config, n));
  if (!anchor) return undefined;
  return {
    name: "server config",
    args: [],
    file: anchor.file,
    line: anchor.line,
    children: config.tree.filter((n) => !is(n, "VirtualHost")),
  };
}

const blockOf = (vhost: ConfigNode) =>
  vhost.name === "server config" ? "the server config (no <VirtualHost>)" : `VirtualHost ${vhost.args.join(" ")}`;

/** The `</VirtualHost>` line that closes a vhost, read from the user's file (the tree keeps opening lines). */
function closingLine(config: PreparedConfig, vhost: ConfigNode): number | null {
  const lines = config.original.find((f) => f.shown === vhost.file)?.text.split("\n") ?? [];
  for (let i = vhost.line; i < lines.length; i++) if (/^\s*<\/VirtualHost>/i.test(lines[i]!)) return i + 1;
  return null;
}

/** A directive in the vhost or its <Location>s, else server-wide: the innermost, last occurrence. */
function find(config: PreparedConfig, vhost: ConfigNode, name: string, pred: (n: ConfigNode) => boolean = () => true) {
  const inside = [...walk(vhost.children ?? [])].map(({ node }) => node).filter((n) => is(n, name) && pred(n));
  if (inside.length) return inside.at(-1);
  return config.tree.filter((n) => is(n, name) && pred(n)).at(-1);
}

function missingIn(config: PreparedConfig, vhost: ConfigNode, bug: string, cause: string, lines: string[]): Fault {
  return {
    bug,
    cause,
    where: { how: "missing", site: siteOf(config, vhost), block: blockOf(vhost) },
    fix: lines,
    edits: insertInto(config, vhost, lines, cause),
    fixIn: "config",
  };
}

/** The ProxyPass (or its <Location> form) that serves a path. */
function proxyPassFor(config: PreparedConfig, vhost: ConfigNode, path: string): ConfigNode | undefined {
  let best: { node: ConfigNode; len: number } | undefined;
  for (const { node, within } of walk(vhost.children ?? [])) {
    if (!is(node, "ProxyPass")) continue;
    const location = [...within].reverse().find((w) => is(w, "Location"));
    const prefix = location && !node.args[0]?.startsWith("/") ? location.args[0]! : node.args[0]!;
    if (path.startsWith(prefix.replace(/\/$/, "")) && (!best || prefix.length > best.len))
      best = { node, len: prefix.length };
  }
  return best?.node;
}

/**
 * B20: the path is proxied to a `balancer://` without stickysession: mod_proxy_balancer picks a member for each
 * request. The fix is the documentation's: a route per member, a ROUTEID cookie naming it, stickysession=ROUTEID.
 */
function noAffinity(config: PreparedConfig, vhost: ConfigNode, path: string): Fault {
  const pass = proxyPassFor(config, vhost, path);
  const target = pass?.args.find((a) => /^balancer:\/\//i.test(a));
  const name = target?.replace(/\/+$/, "").toLowerCase();
  const block = findAll(config.tree, "Proxy").find((b) => b.args[0]?.replace(/\/+$/, "").toLowerCase() === name);
  if (!pass || !block)
    return cannotTell("B20", `the ProxyPass for ${path} names no <Proxy balancer://…> of several members`);
  const inBlock = (d: string) => (block.children ?? []).filter((n) => is(n, d));
  const sticky = [pass, ...inBlock("ProxySet")].some((n) => n.args.some((a) => /^stickysession=/i.test(a)));
  if (sticky) return cannotTell("B20", `${block.args[0]} has a stickysession, yet one session reached two members`);
  const members = inBlock("BalancerMember");
  const method =
    inBlock("ProxySet")
      .flatMap((n) => n.args)
      .find((a) => /^lbmethod=/i.test(a)) ?? "lbmethod=byrequests, the default";
  const cause = `<Proxy ${block.args[0]}> picks one of its ${members.length} members for each request (${method}) with no stickysession: the HTTP fallbacks' later requests of one session reach a member that never opened it.`;
  const cookie = 'Header add Set-Cookie "ROUTEID=.%{BALANCER_WORKER_ROUTE}e; path=/" env=BALANCER_ROUTE_CHANGED';
  const proxySet = inBlock("ProxySet")[0];
  const taken = new Set(members.flatMap((m) => m.args.map((a) => /^route=(.+)$/i.exec(a)?.[1]).filter(Boolean)));
  const freeRoutes = Array.from({ length: members.length * 2 }, (_, i) => String(i + 1)).filter((r) => !taken.has(r));
  const edits: LineEdit[] = [
    ...insertInto(config, vhost, [cookie], "name the member that answered in a cookie"),
    // A route for each member without one, numbered past the routes already written.
    ...members
      .filter((m) => m.args[0] && !m.args.some((a) => /^route=/i.test(a)))
      .map((m, i) => ({
        at: m,
        after: m.name,
        find: m.args[0]!,
        replace: `${m.args[0]} route=${freeRoutes[i]}`,
        why: cause,
      })),
    ...(proxySet
      ? [
          {
            at: proxySet,
            after: proxySet.name,
            find: proxySet.args.at(-1)!,
            replace: `${proxySet.args.at(-1)} stickysession=ROUTEID`,
            why: cause,
          },
        ]
      : insertInto(config, block, ["ProxySet stickysession=ROUTEID"], "send a client back to its member")),
  ];
  return {
    bug: "B20",
    cause,
    where: { how: "missing", site: siteOf(config, block), block: `Proxy ${block.args[0]}` },
    fix: [cookie, "BalancerMember <url> route=1  # a route for each member", "ProxySet stickysession=ROUTEID"],
    edits: canInsert(config, block) ? edits : [],
    fixIn: "config",
  };
}

/**
 * A route collision: the ProxyPass that took the path is a prefix without a slash boundary (`ProxyPass /ws …`) that
 * the path only extends (`/ws-echo`, `/ws-stomp/…`): Apache matches the string, so the request went to that
 * upstream with the rest appended (`ws://host/ws` + `-echo`). The fix keeps the boundary in a ProxyPassMatch.
 */
function routeCollision(config: PreparedConfig, q: FaultQuery): Fault | null {
  const vhost = vhostFor(config, q.host, q.port) ?? mainServer(config);
  const pass = vhost && proxyPassFor(config, vhost, q.path);
  const prefix = pass?.args[0];
  const url = pass?.args[1];
  if (!pass || !prefix?.startsWith("/") || !url || url === "!" || prefix.endsWith("/")) return null;
  const rest = q.path.slice(prefix.length);
  if (!q.path.startsWith(prefix) || rest === "" || rest.startsWith("/")) return null;
  const base = url.replace(/\/$/, "");
  const fixed = `ProxyPassMatch "^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(/.*)?$" "${base}$1"${pass.args
    .slice(2)
    .map((a) => ` ${a}`)
    .join("")}`;
  return {
    bug: q.symptom.bug,
    cause: `\`${siteOf(config, pass).quote}\` also takes ${q.path}: Apache matches a ProxyPass path as a string, without a slash boundary, so ${q.path} went to ${url} as ${url}${rest}, not where the rest of the app goes.`,
    where: { how: "set", site: siteOf(config, pass) },
    fix: [fixed],
    edits: editable(config, pass)
      ? [{ at: pass, find: siteOf(config, pass).quote, replace: fixed, why: "keep the slash boundary of the path" }]
      : [],
    fixIn: "config",
  };
}

export function apacheFaults(config: PreparedConfig, q: FaultQuery): Fault[] {
  const faults = causesIn(config, q);
  const collision = "app" in q.symptom ? null : routeCollision(config, q);
  // The collision first: the other causes read the wrong ProxyPass.
  return collision ? [collision, ...faults.filter((f) => f.where !== null)] : faults;
}

function causesIn(config: PreparedConfig, q: FaultQuery): Fault[] {
  const vhost = vhostFor(config, q.host, q.port) ?? mainServer(config);
  const s = q.symptom;
  if ("app" in s) return [];
  if (!vhost) return [cannotTell(s.bug, `no <VirtualHost> answers ${q.host}:${q.port}`)];
  const tls = (vhost.children ?? []).some((d) => is(d, "SSLEngine") && d.args[0]?.toLowerCase() === "on");
  // The app was reached without its prefix (B17, or B1's path), and no X-Forwarded-Prefix names it.
  const lostPrefix = (bug: string): Fault =>
    q.prefix && !find(config, vhost, "RequestHeader", (n) => n.args[1]?.toLowerCase() === "x-forwarded-prefix")
      ? missingIn(
          config,
          vhost,
          bug,
          `The app is reached without the prefix ${q.prefix}, and no X-Forwarded-Prefix says it.`,
          [`RequestHeader set X-Forwarded-Prefix "${q.prefix}"`],
        )
      : cannotTell(bug, "the app's URLs lost the prefix, and no directive of the config says why");
  switch (s.bug) {
    case "B1": {
      const out: Fault[] = [];
      if (s.wrong.includes("scheme")) {
        const xfp = find(config, vhost, "RequestHeader", (n) => n.args[1]?.toLowerCase() === "x-forwarded-proto");
        // Behind a TLS edge, mod_proxy passes the edge's X-Forwarded-Proto on unless a RequestHeader replaces it.
        if (q.behindEdge)
          out.push(
            xfp && /^set$/i.test(xfp.args[0] ?? "")
              ? setAt(
                  config,
                  xfp,
                  "B21",
                  `\`RequestHeader set X-Forwarded-Proto ${xfp.args[2]}\` overwrites the edge's https: Apache is reached over http.`,
                  xfp.args[0]!,
                  "setifempty",
                )
              : cannotTell("B21", "no RequestHeader replaces the edge's X-Forwarded-Proto, yet the app saw http"),
          );
        else
          out.push(
            xfp
              ? setAt(
                  config,
                  xfp,
                  "B1",
                  `X-Forwarded-Proto is set to ${xfp.args[2]}, not https.`,
                  xfp.args[2] ?? "",
                  '"https"',
                )
              : missingIn(
                  config,
                  vhost,
                  "B1",
                  "mod_proxy sends X-Forwarded-Host and -For, not X-Forwarded-Proto: the app takes the scheme it was reached on (http).",
                  ['RequestHeader set X-Forwarded-Proto "https"'],
                ),
          );
      }
      if (s.wrong.includes("host") || s.wrong.includes("port")) {
        const add = find(config, vhost, "ProxyAddHeaders");
        const preserve = find(config, vhost, "ProxyPreserveHost");
        if (!s.hostOnly && add?.args[0]?.toLowerCase() === "off")
          out.push(
            setAt(config, add, "B1", "ProxyAddHeaders Off: no X-Forwarded-Host reaches the app.", add.args[0], "On"),
          );
        else if (preserve?.args[0]?.toLowerCase() === "off")
          out.push(
            setAt(
              config,
              preserve,
              "B1",
              "ProxyPreserveHost Off: the app gets the upstream's name as Host.",
              preserve.args[0],
              "On",
            ),
          );
        else if (!preserve)
          out.push(
            missingIn(config, vhost, "B1", "No ProxyPreserveHost: the app gets the upstream's name as Host.", [
              "ProxyPreserveHost On",
            ]),
          );
        else out.push(cannotTell("B1", "ProxyPreserveHost is On, yet the app saw another host"));
      }
      if (s.wrong.includes("path")) out.push(lostPrefix("B1"));
      return out;
    }
    case "B17":
      // Kept under the prefix, yet answered by something else: no rule here is known to take such paths.
      return "under" in s && s.under
        ? [cannotTell("B17", `${s.under} is under the prefix, yet it did not reach the app`)]
        : [lostPrefix("B17")];
    case "B20":
      return [noAffinity(config, vhost, q.path)];
    case "B3":
    case "B5": {
      if (s.bug === "B5" && tls) {
        const protocols = find(config, vhost, "Protocols");
        return [
          protocols
            ? setAt(
                config,
                protocols,
                "B5",
                `Protocols ${protocols.args.join(" ")}: no h2 for the browser.`,
                protocols.args[0]!,
                `h2 ${protocols.args[0]}`,
              )
            : missingIn(
                config,
                vhost,
                "B5",
                "No `Protocols h2 http/1.1`: the browser speaks HTTP/1.1, 6 connections per host.",
                ["Protocols h2 http/1.1"],
              ),
        ];
      }
      return [plainHttp(config, vhost, s.bug, q)];
    }
    case "B6": {
      const pass = proxyPassFor(config, vhost, q.path);
      const rewritesWs = [...walk(vhost.children ?? [])].some(
        ({ node }) => is(node, "RewriteRule") && /^wss?:\/\//i.test(node.args[1] ?? ""),
      );
      if (!pass) return [cannotTell("B6", `no ProxyPass serves ${q.path}`)];
      if (
        pass.args.some((a) => /^upgrade=/i.test(a)) ||
        rewritesWs ||
        /^wss?:/i.test(pass.args.find((a) => parseApacheUrl(a)) ?? "")
      )
        return [cannotTell("B6", `the ProxyPass for ${q.path} asks for the upgrade; the handshake failed elsewhere`)];
      const url = pass.args.find((a) => parseApacheUrl(a))!;
      return [
        {
          bug: "B6",
          cause: `This ProxyPass does not tunnel WebSockets (no upgrade=websocket): the handshake reaches the app without its Upgrade.`,
          where: { how: "set", site: siteOf(config, pass) },
          fix: [siteOf(config, pass).quote.replace(url, `${url} upgrade=websocket`)],
          edits: editable(config, pass)
            ? [
                {
                  at: pass,
                  after: pass.name,
                  find: url,
                  replace: `${url} upgrade=websocket`,
                  why: "tunnel WebSockets (Apache 2.4.47+)",
                },
              ]
            : [],
          fixIn: "config",
        },
      ];
    }
    case "B11": {
      const deflate = find(config, vhost, "AddOutputFilterByType", (n) =>
        n.args.some((a) => a.toLowerCase() === "text/event-stream"),
      );
      if (deflate)
        return [
          setAt(
            config,
            deflate,
            "B11",
            "mod_deflate compresses text/event-stream: events wait for its buffer.",
            " text/event-stream",
            "",
          ),
        ];
      const all = find(config, vhost, "SetOutputFilter", (n) => n.args.some((a) => /deflate/i.test(a)));
      if (all)
        return [
          setAt(
            config,
            all,
            "B11",
            "SetOutputFilter DEFLATE compresses every response, event streams included.",
            all.args[0]!,
            "INCLUDES",
          ),
        ];
      return [cannotTell("B11", `nothing of the config compresses or buffers ${q.path}`)];
    }
    case "B12": {
      const pass = proxyPassFor(config, vhost, q.path);
      const perPass = pass?.args.find((a) => /^timeout=\d+$/i.test(a));
      const proxyTimeout = find(config, vhost, "ProxyTimeout");
      const cause = (what: string) =>
        `${what} closes a quiet ${s.socket && !s.stream ? "WebSocket" : "stream"} at ${q.path}.`;
      const config_ =
        pass && perPass
          ? setAt(config, pass, "B12", cause(`ProxyPass … ${perPass}`), perPass, "timeout=3600")
          : proxyTimeout
            ? setAt(
                config,
                proxyTimeout,
                "B12",
                cause(`ProxyTimeout ${proxyTimeout.args[0]}`),
                proxyTimeout.args[0]!,
                "3600",
              )
            : missingIn(config, vhost, "B12", cause("Timeout (no ProxyTimeout)"), ["ProxyTimeout 3600"]);
      return [
        config_,
        appAdvice("B12", "Any idle timeout ends a stream that stays quiet long enough; a heartbeat keeps it open.", [
          "# from the app: a comment (': ping') or a STOMP heart-beat more often than the timeout",
        ]),
      ];
    }
    case "B14": {
      const b = s as Extract<Symptom, { bug: "B14" }>;
      const out: Fault[] = [];
      if (b.request !== null) {
        const limit = find(config, vhost, "LimitRequestFieldSize");
        const cause = `Apache refuses a request header field over LimitRequestFieldSize (${limit ? limit.args[0] : "8190 bytes by default"}); mod_http2 joins the browser's cookies into one Cookie field first: ${Math.round(b.request / 1024)} KB of cookies get 431 (400 over HTTP/1.1).`;
        out.push(
          limit
            ? setAt(config, limit, "B14", cause, limit.args[0]!, "32768")
            : missingIn(config, vhost, "B14", cause, ["LimitRequestFieldSize 32768"]),
        );
      }
      if (b.response !== null)
        out.push(
          cannotTell(
            "B14",
            "Apache limits each response header line from the app (ProxyPass responsefieldsize=, 8192 by default), not their sum",
          ),
        );
      return out;
    }
    case "B19":
      // Measured on 2.4.71: LimitRequestBody refuses a body on a path Apache serves itself (413) and is not applied
      // to one mod_proxy serves, so nothing of an Apache config here explains a refused or held upload.
      return [
        cannotTell(
          "B19",
          "Apache does not apply LimitRequestBody to a proxied request, and mod_proxy_http streams bodies on: a 413 or a held body comes from elsewhere (a module such as mod_security, or the app)",
        ),
      ];
    default:
      return [cannotTell(q.symptom.bug, "no rule reads this field report from an Apache config")];
  }
}

/**
 * A whole httpd.conf serving its site outside any <VirtualHost>: the whole server on TLS (SSLEngine is valid in
 * the server config), its `Listen` moved to 443, and the modules that needs loaded the way the file loads its
 * others (the same directory), so every top-level directive (a RewriteRule too) keeps applying.
 */
function plainHttpServerConfig(config: PreparedConfig, server: ConfigNode, bug: string, q: FaultQuery): Fault {
  const cause = `This httpd.conf serves the site over plain http outside any <VirtualHost> (${siteOf(config, server).quote}): ${bug === "B3" ? "no secure context" : "no HTTP/2"}.`;
  const listen = config.tree.find(
    (n) => is(n, "Listen") && editable(config, n) && /(?:^|:)(\d+)$/.exec(n.args[0] ?? "")?.[1] === String(q.port),
  );
  const loads = config.tree.filter((n) => is(n, "LoadModule"));
  const dir = loads.find((n) => editable(config, n))?.args[1]?.replace(/\/[^/]*$/, "") ?? "/usr/lib/apache2/modules";
  const modules = [
    ["ssl_module", "mod_ssl.so"],
    ["http2_module", "mod_http2.so"],
    ["headers_module", "mod_headers.so"],
  ]
    .filter(([m]) => !loads.some((n) => n.args[0] === m))
    .map(([m, f]) => `LoadModule ${m} ${dir}/${f}`);
  const hasXfp = find(config, server, "RequestHeader", (n) => n.args[1]?.toLowerCase() === "x-forwarded-proto");
  const lines = [
    ...modules,
    "SSLEngine on",
    `SSLCertificateFile /etc/letsencrypt/live/${q.host}/fullchain.pem`,
    `SSLCertificateKeyFile /etc/letsencrypt/live/${q.host}/privkey.pem`,
    "Protocols h2 http/1.1",
    ...(hasXfp ? [] : ['RequestHeader set X-Forwarded-Proto "https"']),
  ];
  const port = listen?.args[0] ?? "";
  return {
    bug,
    cause,
    where: { how: "set", site: siteOf(config, listen ?? server) },
    fix: [`Listen ${port.replace(/\d+$/, "443")} https`, ...lines],
    edits: listen
      ? [
          {
            at: listen,
            after: "Listen",
            find: port,
            replace: `${port.replace(/\d+$/, "443")} https`,
            why: "TLS on 443",
          },
          ...insertInto(config, server, lines, "TLS and HTTP/2 for the whole server", listen),
        ]
      : [],
    fixIn: "config",
  };
}

/** A plain-http vhost: the same site on 443 with TLS, and port 80 redirecting to it. */
function plainHttp(config: PreparedConfig, vhost: ConfigNode, bug: string, q: FaultQuery): Fault {
  if (vhost.name === "server config") return plainHttpServerConfig(config, vhost, bug, q);
  const address = vhost.args.find((a) => (/:(\d+)$/.exec(a)?.[1] ?? "80") === String(q.port)) ?? vhost.args[0]!;
  const closing = closingLine(config, vhost);
  const hasXfp = find(config, vhost, "RequestHeader", (n) => n.args[1]?.toLowerCase() === "x-forwarded-proto");
  const lines = [
    ...(hasXfp ? [] : ['RequestHeader set X-Forwarded-Proto "https"']),
    "SSLEngine on",
    `SSLCertificateFile /etc/letsencrypt/live/${q.host}/fullchain.pem`,
    `SSLCertificateKeyFile /etc/letsencrypt/live/${q.host}/privkey.pem`,
  ];
  const indent = /^\s*/.exec(lineOf(config, vhost))?.[0] ?? "";
  const redirect = [
    `${indent}<VirtualHost ${address}>`,
    `${indent}    ServerName ${q.host}`,
    `${indent}    Redirect permanent / https://${q.host}/`,
    `${indent}</VirtualHost>`,
  ];
  const edits: LineEdit[] = [
    {
      at: vhost,
      after: "VirtualHost",
      find: address,
      replace: address.replace(/:\d+$/, "") + ":443",
      why: "TLS on 443",
    },
    ...insertInto(config, vhost, lines, "TLS on 443"),
    ...(closing
      ? [
          {
            at: { file: vhost.file, line: closing },
            insertAfter: redirect.join("\n"),
            why: "port 80 redirects to https",
          },
        ]
      : []),
  ];
  return {
    bug,
    cause: `The browser reaches this site over plain http (${siteOf(config, vhost).quote}): ${bug === "B3" ? "no secure context, so crypto.randomUUID is missing" : "browsers speak HTTP/2 only over TLS"}.`,
    where: { how: "set", site: siteOf(config, vhost) },
    fix: [
      `<VirtualHost ${address.replace(/:\d+$/, "")}:443>`,
      ...lines.map((l) => `    ${l}`),
      "# and a <VirtualHost *:80> that redirects to https",
    ],
    edits: canInsert(config, vhost) ? edits : [],
    fixIn: "config",
  };
}
