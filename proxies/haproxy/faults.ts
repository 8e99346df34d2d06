import type { ConfigNode } from "../config-tree";
import { appAdvice, cannotTell, insertInto, setAt, siteOf, type Fault, type FaultQuery, type Symptom } from "../faults";
import type { PreparedConfig } from "../prepare";

/** The frontend (or listen) bound to the browser's port, and the backend it sends the path to. */
function route(config: PreparedConfig, port: number, path: string) {
  const sections = config.tree;
  const binds = (s: ConfigNode) =>
    (s.children ?? [])
      .filter((c) => c.name === "bind")
      .some((b) => (b.args[0] ?? "").split(",").some((a) => a.endsWith(`:${port}`)));
  const frontend = sections.find((s) => (s.name === "frontend" || s.name === "listen") && binds(s));
  if (!frontend) return null;
  const acls = new Map<string, string[]>();
  for (const c of frontend.children ?? [])
    if (c.name === "acl" && /^path_beg$/.test(c.args[1] ?? "")) acls.set(c.args[0]!, c.args.slice(2));
  const chosen = (frontend.children ?? []).find(
    (c) => c.name === "use_backend" && (acls.get(c.args[2] ?? "") ?? []).some((p) => path.startsWith(p)),
  );
  const name = chosen?.args[0] ?? (frontend.children ?? []).find((c) => c.name === "default_backend")?.args[0];
  const backend = sections.find((s) => (s.name === "backend" || s.name === "listen") && s.args[0] === name) ?? frontend;
  const defaults = [...sections.slice(0, sections.indexOf(frontend))].reverse().find((d) => d.name === "defaults");
  return { frontend, backend, defaults };
}

const XFP = "http-request set-header X-Forwarded-Proto https if { ssl_fc }";
const modeOf = (section: ConfigNode) => (section.children ?? []).find((c) => c.name === "mode");

function missingIn(config: PreparedConfig, section: ConfigNode, bug: string, cause: string, lines: string[]): Fault {
  return {
    bug,
    cause,
    where: { how: "missing", site: siteOf(config, section), block: [section.name, ...section.args].join(" ") },
    fix: lines,
    edits: insertInto(
      config,
      section,
      lines,
      cause,
      (section.children ?? []).find((c) => c.name === "mode"),
    ),
    fixIn: "config",
  };
}

const timeMs = (v: string) => {
  const m = /^(\d+)(us|ms|s|m|h|d)?$/.exec(v);
  return m
    ? Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? "ms"] ?? 1)
    : null;
};

export function haproxyFaults(config: PreparedConfig, q: FaultQuery): Fault[] {
  const s = q.symptom;
  if ("app" in s) return [];
  const r = route(config, q.port, q.path);
  if (!r) return [cannotTell(s.bug, `no frontend binds port ${q.port}`)];
  const { frontend, backend, defaults } = r;
  const lines = (sec: ConfigNode | undefined) => sec?.children ?? [];
  const all = [...lines(frontend), ...lines(backend)];
  const bind = lines(frontend).find(
    (c) => c.name === "bind" && (c.args[0] ?? "").split(",").some((a) => a.endsWith(`:${q.port}`)),
  );
  const setHeader = (name: string) =>
    all.find(
      (c) =>
        c.name === "http-request" && /^(set|add)-header$/.test(c.args[0] ?? "") && c.args[1]?.toLowerCase() === name,
    );
  // The app was reached without its prefix (B17, or B1's path), and no X-Forwarded-Prefix names it.
  const lostPrefix = (bug: string): Fault =>
    q.prefix && !setHeader("x-forwarded-prefix")
      ? missingIn(
          config,
          backend,
          bug,
          `The app is reached without the prefix ${q.prefix}, and no X-Forwarded-Prefix says it.`,
          [`http-request set-header X-Forwarded-Prefix ${q.prefix}`],
        )
      : cannotTell(bug, "the app's URLs lost the prefix, and no rule of the config says why");
  switch (s.bug) {
    case "B1": {
      const out: Fault[] = [];
      const xfp = setHeader("x-forwarded-proto");
      // Behind a TLS edge, HAProxy passes the edge's X-Forwarded-Proto on unless a rule replaces it (B21).
      if (s.wrong.includes("scheme") && q.behindEdge)
        out.push(
          xfp
            ? {
                bug: "B21",
                cause: `\`${siteOf(config, xfp).quote}\` replaces the edge's X-Forwarded-Proto (https): HAProxy is reached over http.`,
                where: { how: "set", site: siteOf(config, xfp) },
                fix: [
                  `${siteOf(config, xfp).quote.replace(/\s+if\s.*$/, "")} unless { req.hdr(x-forwarded-proto) -m found }`,
                ],
                edits: [],
                fixIn: "config",
              }
            : cannotTell("B21", "no rule replaces the edge's X-Forwarded-Proto, yet the app saw http"),
        );
      else if (s.wrong.includes("scheme"))
        out.push(
          setHeader("x-forwarded-proto")
            ? cannotTell("B1", "an X-Forwarded-Proto rule is set, yet the app saw http (its condition?)")
            : missingIn(
                config,
                backend,
                "B1",
                "No X-Forwarded-Proto reaches the app: it takes the scheme it was reached on (http).",
                ["http-request set-header X-Forwarded-Proto https if { ssl_fc }"],
              ),
        );
      if (s.wrong.includes("host") || s.wrong.includes("port")) {
        const host = setHeader("host");
        out.push(
          host
            ? setAt(
                config,
                host,
                "B1",
                `Host is rewritten to ${host.args[2]}: the app builds its URL on it.`,
                host.args[2] ?? "",
                "%[req.hdr(host)]",
              )
            : cannotTell("B1", "HAProxy passes Host as the browser sent it; no rule of the config changes it"),
        );
      }
      if (s.wrong.includes("path")) out.push(lostPrefix("B1"));
      return out;
    }
    case "B17":
      // Kept under the prefix, yet answered by something else: no rule here is known to take such paths.
      return "under" in s && s.under
        ? [cannotTell("B17", `${s.under} is under the prefix, yet it did not reach the app`)]
        : [lostPrefix("B17")];
    case "B20": {
      // Persistence: a hashing balance (source, uri, hdr…) or a cookie/stick table naming the server.
      const balance =
        lines(backend).find((c) => c.name === "balance") ?? lines(defaults).find((c) => c.name === "balance");
      const sticky = lines(backend).find((c) => c.name === "cookie" || c.name.startsWith("stick"));
      const servers = lines(backend).filter((c) => c.name === "server").length;
      const method = balance?.args[0] ?? "roundrobin";
      if (sticky || !["roundrobin", "static-rr", "leastconn", "first", "random"].includes(method))
        return [
          cannotTell(
            "B20",
            `backend ${backend.args[0]} has balance ${method}${sticky ? ` and ${sticky.name}` : ""}, yet one session reached two servers`,
          ),
        ];
      const cause = `backend ${backend.args[0]} balances each request over its ${servers} servers (balance ${method}${balance ? "" : ", the default"}) with no persistence: the HTTP fallbacks' later requests of one session reach a server that never opened it.`;
      return [
        balance && balance.args[0]
          ? setAt(config, balance, "B20", cause, balance.args[0], "source")
          : missingIn(config, backend, "B20", cause, ["balance source"]),
      ];
    }
    case "B3":
    case "B5": {
      if (bind && bind.args.includes("ssl")) {
        if (s.bug === "B5" && !bind.args.includes("alpn")) {
          const last = bind.args.at(-1)!;
          return [
            setAt(
              config,
              bind,
              "B5",
              "TLS without ALPN: the browser cannot ask for HTTP/2 and speaks HTTP/1.1.",
              last,
              `${last} alpn h2,http/1.1`,
            ),
          ];
        }
        return [cannotTell(s.bug, "the bind speaks TLS with ALPN")];
      }
      const tlsBind = `bind :443 ssl crt /etc/haproxy/certs/${q.host}.pem alpn h2,http/1.1`;
      const hasXfp = all.some((c) => c.name === "http-request" && c.args[1]?.toLowerCase() === "x-forwarded-proto");
      return [
        {
          bug: s.bug,
          cause: `The browser reaches this frontend over plain http (${bind ? siteOf(config, bind).quote : "no bind for its port"}): ${s.bug === "B3" ? "no secure context, so crypto.randomUUID is missing" : "browsers speak HTTP/2 only over TLS"}.`,
          where: { how: "set", site: siteOf(config, bind ?? frontend) },
          fix: [tlsBind, ...(hasXfp ? [] : [XFP])],
          edits: [
            ...insertInto(config, frontend, [tlsBind], "TLS with HTTP/2 on 443", bind),
            ...(hasXfp
              ? []
              : insertInto(config, backend, [XFP], "the app learns it is served over https", modeOf(backend))),
          ],
          fixIn: "config",
        },
      ];
    }
    case "B11": {
      const compression = [...lines(defaults), ...all].find(
        (c) => c.name === "compression" && c.args[0] === "type" && c.args.includes("text/event-stream"),
      );
      return compression
        ? [
            setAt(
              config,
              compression,
              "B11",
              "compression type includes text/event-stream: events wait for the compressor.",
              " text/event-stream",
              "",
            ),
          ]
        : [cannotTell("B11", "nothing of the config compresses the event stream; HAProxy forwards it as it comes")];
    }
    case "B12": {
      const find = (which: string, sec: ConfigNode) =>
        lines(sec).find((c) => c.name === "timeout" && c.args[0] === which) ??
        lines(defaults).find((c) => c.name === "timeout" && c.args[0] === which);
      const out: Fault[] = [];
      const tunnel = find("tunnel", backend);
      if (s.socket) {
        out.push(
          tunnel
            ? setAt(
                config,
                tunnel,
                "B12",
                `timeout tunnel ${tunnel.args[1]} closes a quiet WebSocket.`,
                tunnel.args[1]!,
                "1h",
              )
            : missingIn(
                config,
                backend,
                "B12",
                "No timeout tunnel: a quiet WebSocket is closed by timeout client/server.",
                ["timeout tunnel 1h"],
              ),
        );
      }
      if (s.stream || (s.socket && !tunnel)) {
        for (const [which, sec] of [
          ["client", frontend],
          ["server", backend],
        ] as const) {
          const t = find(which, sec);
          if (t && (timeMs(t.args[1] ?? "") ?? Infinity) < 3_600_000 && s.stream)
            out.push(setAt(config, t, "B12", `timeout ${which} ${t.args[1]} closes a quiet stream.`, t.args[1]!, "1h"));
        }
      }
      out.push(
        appAdvice("B12", "Any idle timeout ends a stream that stays quiet long enough; a heartbeat keeps it open.", [
          "# from the app: a comment (': ping') or a STOMP heart-beat more often than the timeout",
        ]),
      );
      return out;
    }
    case "B6":
      return [
        cannotTell("B6", "HAProxy forwards the Upgrade on its own in mode http; nothing of the config blocks it"),
      ];
    case "B14": {
      const b = s as Extract<Symptom, { bug: "B14" }>;
      const global = config.tree.find((sec) => sec.name === "global");
      const size = lines(global).find((c) => c.name === "tune.bufsize");
      const sides = [b.response !== null ? "response" : "", b.request !== null ? "request" : ""].filter(Boolean);
      const cause = `HAProxy holds a message's whole header block in one buffer (tune.bufsize ${size ? size.args[0] : "16384 by default"}, less tune.maxrewrite): a bigger ${sides.join(" and ")} header block is refused (502 from the app's side, 400 from the browser's; over HTTP/2 the stream is reset).`;
      if (size) return [setAt(config, size, "B14", cause, size.args[0]!, "32768")];
      if (global) return [missingIn(config, global, "B14", cause, ["tune.bufsize 32768"])];
      // No global section: one is made, at the top of the file (HAProxy reads global settings from it alone).
      const first = config.tree.find((sec) => config.original.some((f) => f.shown === sec.file));
      return [
        {
          bug: "B14",
          cause: `${cause} The config has no global section to set it in: one is added at the top.`,
          where: { how: "missing", site: siteOf(config, frontend), block: "global" },
          fix: ["global", "    tune.bufsize 32768"],
          edits: first
            ? [{ at: first, insertBefore: "global\n    tune.bufsize 32768\n", why: "room for big header blocks" }]
            : [],
          fixIn: "config",
        },
      ];
    }
    case "B19": {
      const b = s as Extract<Symptom, { bug: "B19" }>;
      const all = config.tree.flatMap((sec) => lines(sec));
      const out: Fault[] = [];
      if (b.bytes !== null) {
        const deny = all.find((c) => c.name === "http-request" && c.args.join(" ").includes("req.body_size"));
        out.push(
          deny
            ? {
                bug: "B19",
                cause: "An http-request rule refuses request bodies by req.body_size.",
                where: { how: "set", site: siteOf(config, deny) },
                fix: ["# raise the req.body_size bound of this rule"],
                edits: [],
                fixIn: "config",
              }
            : cannotTell("B19", "HAProxy sets no body limit of its own, and no rule here refuses bodies by size"),
        );
      }
      if (b.held) {
        const buffer = all.find((c) => c.name === "option" && c.args[0] === "http-buffer-request");
        out.push(
          buffer
            ? {
                bug: "B19",
                cause:
                  "option http-buffer-request makes HAProxy wait for a request's whole body (up to its buffer) before passing it on.",
                where: { how: "set", site: siteOf(config, buffer) },
                fix: ["# remove `option http-buffer-request` where the app streams uploads"],
                edits: [],
                fixIn: "config",
              }
            : cannotTell(
                "B19",
                "HAProxy streams request bodies unless `option http-buffer-request`, which is not here",
              ),
        );
      }
      return out;
    }
    default:
      return [cannotTell(q.symptom.bug, "no rule reads this field report from an HAProxy config")];
  }
}
