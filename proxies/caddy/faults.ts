import { walk, type ConfigNode } from "../config-tree";
import {
  appAdvice,
  cannotTell,
  editable,
  insertInto,
  lineOf,
  setAt as setOnLine,
  siteOf,
  type Fault,
  type FaultQuery,
} from "../faults";
import type { LineEdit } from "../adapt";
import type { PreparedConfig } from "../prepare";

/** Caddy's edits may touch a site address, which is the node's name: find the text anywhere on the line. */
const setAt = (config: PreparedConfig, node: ConfigNode, bug: string, cause: string, from: string, to: string) =>
  setOnLine(config, node, bug, cause, from, to, false);

/** The site block that answers host:port: by its address (`host`, `http://host`, `:port`, `host:port`). */
function siteFor(config: PreparedConfig, host: string, port: number): ConfigNode | undefined {
  const sites = config.tree.filter((n) => n.name === "site");
  const matches = (a: string) => {
    const m = /^(?:(https?):\/\/)?([^:/]*)(?::(\d+))?/.exec(a);
    const [, scheme, h, p] = m ?? [];
    const portOk = p ? Number(p) === port : scheme === "http" ? port === 80 : port === 443 || port === 80;
    return portOk && (!h || h === host || (h.startsWith("*.") && host.endsWith(h.slice(1))));
  };
  return sites.find((s) => s.args.some(matches)) ?? sites[0];
}

/**
 * A block of one line for a directive written without one: `{` at the end of its line and `}` on a line of its
 * own (the Caddyfile's lexer refuses a block opened and closed on one line).
 */
function blockOf(config: PreparedConfig, node: ConfigNode, line: string, why: string): LineEdit[] {
  const indent = /^\s*/.exec(lineOf(config, node))?.[0] ?? "";
  const step = indent.includes(" ") ? "    " : "\t";
  return [
    { at: node, find: node.args.at(-1)!, replace: `${node.args.at(-1)} {`, why },
    { at: node, insertAfter: `${indent}${step}${line}`, why },
    { at: node, insertAfter: `${indent}}`, why },
  ];
}

export function caddyFaults(config: PreparedConfig, q: FaultQuery): Fault[] {
  const s = q.symptom;
  if ("app" in s) return [];
  const site = siteFor(config, q.host, q.port);
  if (!site) return [cannotTell(s.bug, `no site answers ${q.host}:${q.port}`)];
  const inside = [...walk(site.children ?? [])].map(({ node }) => node);
  switch (s.bug) {
    case "B1": {
      // Behind a TLS edge: Caddy takes no X-Forwarded-* from a proxy it does not trust, and says http (B21).
      const proxy = inside.find((n) => n.name === "reverse_proxy");
      const trusted = inside.some((n) => n.name === "trusted_proxies");
      if (q.behindEdge && s.wrong.includes("scheme") && proxy && !trusted) {
        const line = "trusted_proxies private_ranges";
        const why = "Caddy keeps the edge's X-Forwarded-Proto (https)";
        return [
          {
            bug: "B21",
            cause:
              "Caddy ignores the X-Forwarded-* headers of a proxy it does not trust (no trusted_proxies) and sets X-Forwarded-Proto from its own connection, http: the edge's https is lost.",
            where: { how: "set", site: siteOf(config, proxy) },
            fix: [`${line}  # in reverse_proxy { }: the edge's network`],
            edits: !editable(config, proxy)
              ? []
              : proxy.children
                ? insertInto(config, proxy, [line], why)
                : blockOf(config, proxy, line, why),
            fixIn: "config",
          },
        ];
      }
      const host = inside.find((n) => n.name === "header_up" && n.args[0]?.replace(/^\+/, "").toLowerCase() === "host");
      if (host && !/^\{(host|hostport|http\.request\.host(port)?)\}$/.test(host.args[1] ?? ""))
        return [
          setAt(
            config,
            host,
            "B1",
            `header_up Host ${host.args[1]}: the app builds its URL on that name.`,
            host.args[1]!,
            "{hostport}",
          ),
        ];
      const dropped = inside.find(
        (n) => n.name === "header_up" && /^-x-forwarded-(proto|host)$/i.test(n.args[0] ?? ""),
      );
      if (dropped && !s.hostOnly)
        return [
          {
            bug: "B1",
            cause: `header_up ${dropped.args[0]} removes what tells the app its public URL.`,
            where: { how: "set", site: siteOf(config, dropped) },
            fix: [`# remove: ${siteOf(config, dropped).quote}`],
            edits: editable(config, dropped)
              ? [{ at: dropped, find: "header_up", replace: "# header_up", why: "keep the forwarded headers" }]
              : [],
            fixIn: "config",
          },
        ];
      return [
        cannotTell(
          "B1",
          "Caddy passes Host and sets X-Forwarded-Proto/-Host itself; nothing of the config changes them",
        ),
      ];
    }
    case "B3":
    case "B5": {
      const plain = site.args.find((a) => a.startsWith("http://") || /^:\d+$/.test(a));
      if (!plain) return [cannotTell(s.bug, "the site is served over TLS with HTTP/2 (Caddy's default)")];
      return [
        setAt(
          config,
          site,
          s.bug,
          `The site address ${plain} is plain http: ${s.bug === "B3" ? "no secure context, so crypto.randomUUID is missing" : "browsers speak HTTP/2 only over TLS"}; a host name alone gets HTTPS (and HTTP/2) from Caddy.`,
          plain,
          q.host,
        ),
      ];
    }
    case "B11": {
      const flush = inside.find((n) => n.name === "flush_interval" && n.args[0] !== "-1");
      const encode = inside.find((n) => n.name === "encode");
      if (!flush && s.how === "late-open") {
        // Every EventSource request says `Accept: text/event-stream`: a request matcher keeps encode off the
        // streams, whatever their paths, and leaves everything else compressed. A matcher the line already has,
        // or a line outside the user's files, is left to the reader.
        const matcher = "@proxylab_notstream";
        const fixable = encode && editable(config, encode) && !/^[@/*]/.test(encode.args[0] ?? "");
        const indent = encode ? (/^\s*/.exec(lineOf(config, encode))?.[0] ?? "") : "";
        const why = "encode holds a stream's headers until its first write: keep it off event streams";
        return [
          {
            bug: "B11",
            cause: encode
              ? `\`${siteOf(config, encode).quote}\` holds a response's headers until its first write (measured on Caddy 2.6): a stream that writes nothing yet opens late.`
              : "Caddy sent the stream's headers late, and nothing of the config says why.",
            where: encode ? { how: "set", site: siteOf(config, encode) } : null,
            fix: fixable
              ? [
                  `${matcher} not header Accept text/event-stream`,
                  `${lineOf(config, encode)
                    .trim()
                    .replace(/^encode\b/, `encode ${matcher}`)}`,
                  "# or from the app: an opening comment (': open') right after the headers",
                ]
              : [
                  "# from the app: an opening comment (': open') right after the headers",
                  ...(encode
                    ? [
                        "# or keep encode off the stream: `@notstream not header Accept text/event-stream`, then `encode @notstream …`",
                      ]
                    : []),
                ],
            edits: fixable
              ? [
                  { at: encode, insertBefore: `${indent}${matcher} not header Accept text/event-stream`, why },
                  { at: encode, find: "encode", replace: `encode ${matcher}`, why },
                ]
              : [],
            fixIn: fixable ? "config" : "app",
          },
        ];
      }
      return flush
        ? [
            setAt(
              config,
              flush,
              "B11",
              `flush_interval ${flush.args[0]}: responses are flushed only that often.`,
              flush.args[0]!,
              "-1",
            ),
          ]
        : [cannotTell("B11", "Caddy flushes event streams at once; nothing of the config changes that")];
    }
    case "B12": {
      const read = inside.find((n) => n.name === "read_timeout");
      return [
        read
          ? setAt(config, read, "B12", `read_timeout ${read.args[0]} closes a quiet stream.`, read.args[0]!, "1h")
          : cannotTell("B12", "no read_timeout in the config; Caddy itself does not close quiet streams"),
        appAdvice("B12", "Any idle timeout ends a stream that stays quiet long enough; a heartbeat keeps it open.", [
          "# from the app: a comment (': ping') or a STOMP heart-beat more often than the timeout",
        ]),
      ];
    }
    case "B6":
      return [cannotTell("B6", "Caddy's reverse_proxy forwards WebSocket upgrades on its own")];
    case "B17": {
      if ("under" in s && s.under)
        return [cannotTell("B17", `${s.under} is under the prefix, yet it did not reach the app`)];
      const strip = inside.find(
        (n) => n.name === "handle_path" && (n.args[0] ?? "").replace(/\*$/, "").replace(/\/$/, "") === q.prefix,
      );
      return strip
        ? [
            setAt(
              config,
              strip,
              "B17",
              `\`${siteOf(config, strip).quote}\` strips ${q.prefix} before reverse_proxy, and Caddy sends no X-Forwarded-Prefix: the app builds its URLs without it. \`handle\` keeps the prefix (for an app that knows its base path); or add \`header_up X-Forwarded-Prefix ${q.prefix}\` to the reverse_proxy.`,
              "handle_path",
              "handle",
            ),
          ]
        : [cannotTell("B17", "the app's URLs lost the prefix, and no handle_path of the config strips it")];
    }
    case "B20": {
      // Caddy's policies that keep a client on one upstream: ip_hash, client_ip_hash, cookie, header, uri_hash.
      // Its upstreams: the arguments that are not a matcher (`@api`, `/path`, `*`), and those of `to` lines.
      const upstreams = (n: ConfigNode) => [
        ...n.args.filter((a) => !/^[@/*]/.test(a)),
        ...(n.children ?? []).filter((c) => c.name === "to").flatMap((c) => c.args),
      ];
      const proxy = inside.find((n) => n.name === "reverse_proxy" && upstreams(n).length > 1);
      if (!proxy) return [cannotTell("B20", "no reverse_proxy of the site names several upstreams")];
      const policy = (proxy.children ?? []).find((c) => c.name === "lb_policy");
      const method = policy?.args[0] ?? "random";
      if (!["random", "round_robin", "least_conn", "first", "random_choose", "weighted_round_robin"].includes(method))
        return [
          cannotTell("B20", `lb_policy ${method} should keep a client on one upstream, yet one session reached two`),
        ];
      const cause = `reverse_proxy picks an upstream for each request (lb_policy ${method}${policy ? "" : ", the default"}): the HTTP fallbacks' later requests of one session reach an upstream that never opened it.`;
      if (policy) return [setAt(config, policy, "B20", cause, method, "ip_hash")];
      return [
        {
          bug: "B20",
          cause,
          where: { how: "missing", site: siteOf(config, proxy), block: "reverse_proxy" },
          fix: ["lb_policy ip_hash  # inside reverse_proxy { }"],
          edits: !editable(config, proxy)
            ? []
            : proxy.children
              ? insertInto(config, proxy, ["lb_policy ip_hash"], "one client, one upstream")
              : blockOf(config, proxy, "lb_policy ip_hash", cause),
          fixIn: "config",
        },
      ];
    }
    default:
      return [cannotTell(q.symptom.bug, "no rule reads this field report from a Caddyfile")];
  }
}
