import { at, findAll, walk, type ConfigNode } from "./config-tree";
import { effective, levelsFor, nginxServers, nginxTimeMs, selectServer } from "./nginx/effective";
import type { PreparedConfig } from "./prepare";

/** How long a quiet connection may stay quiet before the proxy closes it, and where the config says so. */
export interface IdleTimeout {
  /** null: no timeout closes a quiet connection. */
  readonly ms: number | null;
  /** In words, with file:line when a directive sets it: "proxy_read_timeout 3m (site.conf:12)". */
  readonly why: string;
}

export interface IdleTimeouts {
  /** A quiet response stream (SSE). */
  readonly stream: IdleTimeout;
  /** A quiet upgraded connection (WebSocket). */
  readonly tunnel: IdleTimeout;
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

function nginxIdle(config: PreparedConfig, host: string, port: number, path: string): IdleTimeouts {
  const server = selectServer(nginxServers(config.tree, config.layout ?? "site"), host, port);
  const levels = server ? levelsFor(server, path) : [];
  const read = effective(levels, "proxy_read_timeout");
  const ms = read ? nginxTimeMs(read.args[0] ?? "") : 60_000;
  const why = read ? `proxy_read_timeout ${read.args[0]} (${at(read)})` : "nginx's default proxy_read_timeout, 60 s";
  // An upgraded connection is timed by the same read timeout (nginx: proxy_read_timeout between two reads).
  return { stream: { ms, why }, tunnel: { ms, why } };
}

/** Apache: ProxyTimeout, else Timeout (Debian's apache2.conf: 300); `timeout=` on the ProxyPass wins. */
function apacheIdle(config: PreparedConfig): IdleTimeouts {
  const last = (name: string) => findAll(config.tree, name).at(-1);
  const timeout = last("Timeout");
  const proxyTimeout = last("ProxyTimeout");
  const perPass = [...walk(config.tree)]
    .map(({ node }) => node)
    .filter((n) => /^proxypass(match)?$/i.test(n.name))
    .flatMap((n) => n.args.filter((a) => /^timeout=\d+$/i.test(a)).map((a) => ({ n, s: Number(a.split("=")[1]) })))[0];
  // Debian's apache2.conf sets Timeout 300; a whole httpd.conf of its own without one has Apache's default, 60.
  const fallback =
    config.layout === "main"
      ? { ms: 60_000, why: "Apache's default Timeout, 60 s" }
      : { ms: 300_000, why: "Debian's apache2.conf Timeout, 300 s" };
  const server = timeout
    ? { ms: Number(timeout.args[0]) * 1000, why: `Timeout ${timeout.args[0]} (${at(timeout)})` }
    : fallback;
  const stream = perPass
    ? { ms: perPass.s * 1000, why: `ProxyPass … timeout=${perPass.s} (${at(perPass.n)})` }
    : proxyTimeout
      ? { ms: Number(proxyTimeout.args[0]) * 1000, why: `ProxyTimeout ${proxyTimeout.args[0]} (${at(proxyTimeout)})` }
      : server;
  // A tunnel (an upgraded WebSocket) waits the larger of its two sides' timeouts: the client side's is Timeout.
  const tunnel =
    (stream.ms ?? 0) >= (server.ms ?? 0)
      ? stream
      : { ...server, why: `${server.why}; a tunnel waits the larger of its sides' timeouts` };
  return { stream, tunnel };
}

/** HAProxy: timeout client/server (the smaller closes a quiet stream); `timeout tunnel` for upgraded connections. */
function haproxyIdle(config: PreparedConfig): IdleTimeouts {
  const sections = config.tree;
  const frontend = sections.find((s) => s.name === "frontend" || s.name === "listen");
  const defaultsFor = (s: ConfigNode | undefined) =>
    s
      ? [...sections.slice(0, sections.indexOf(s))].reverse().find((d) => d.name === "defaults")
      : sections.find((d) => d.name === "defaults");
  const backendName = frontend?.children?.find((c) => c.name === "default_backend" || c.name === "use_backend")
    ?.args[0];
  const backend =
    sections.find((s) => (s.name === "backend" || s.name === "listen") && s.args[0] === backendName) ?? frontend;
  const timeoutIn = (s: ConfigNode | undefined, which: string) =>
    s?.children?.find((c) => c.name === "timeout" && c.args[0] === which);
  const find = (which: string, s: ConfigNode | undefined) => timeoutIn(s, which) ?? timeoutIn(defaultsFor(s), which);
  const ms = (n: ConfigNode | undefined) => (n ? haproxyTimeMs(n.args[1] ?? "") : null);
  const client = find("client", frontend);
  const server = find("server", backend);
  const tunnel = find("tunnel", backend);
  const quiet = [client, server]
    .filter((n): n is ConfigNode => !!n)
    .sort((a, b) => (ms(a) ?? Infinity) - (ms(b) ?? Infinity))[0];
  const stream = quiet
    ? { ms: ms(quiet), why: `timeout ${quiet.args[0]} ${quiet.args[1]} (${at(quiet)})` }
    : { ms: null, why: "no timeout client/server set (HAProxy warns and never times out)" };
  return {
    stream,
    tunnel: tunnel ? { ms: ms(tunnel), why: `timeout tunnel ${tunnel.args[1]} (${at(tunnel)})` } : stream,
  };
}

function haproxyTimeMs(value: string): number | null {
  const m = /^(\d+)(us|ms|s|m|h|d)?$/.exec(value);
  if (!m) return null;
  return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? "ms"] ?? 1);
}

/** Caddy: reverse_proxy's transport `read_timeout`; without one, nothing closes a quiet stream. */
function caddyIdle(config: PreparedConfig): IdleTimeouts {
  const read = [...walk(config.tree)].map(({ node }) => node).find((n) => n.name === "read_timeout");
  const t = read
    ? { ms: caddyTimeMs(read.args[0] ?? ""), why: `read_timeout ${read.args[0]} (${at(read)})` }
    : { ms: null, why: "reverse_proxy has no read timeout unless its transport sets one" };
  return { stream: t, tunnel: t };
}

function caddyTimeMs(value: string): number | null {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0) return /^\d+$/.test(value) ? Number(value) * 1000 : null;
  return parts.reduce(
    (sum, [, n, u]) => sum + Number(n) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[u as "s"],
    0,
  );
}

/** The idle timeouts a request for `path` on `host:port` meets in a config, by its kind's rules and defaults. */
export function idleTimeouts(config: PreparedConfig, host: string, port: number, path: string): IdleTimeouts {
  switch (config.kind) {
    case "nginx":
      return nginxIdle(config, host, port, path);
    case "apache":
      return apacheIdle(config);
    case "haproxy":
      return haproxyIdle(config);
    case "caddy":
      return caddyIdle(config);
  }
}

export { seconds as shownDuration };
