import type { ConfigNode } from "../config-tree";
import { parseNginx } from "./parse";

/**
 * Which server and location of an nginx config serve a request, and what a directive's value is there, as nginx
 * decides it: exact `=` locations first, then the longest prefix (`^~` stops the search), then regexes in order;
 * a directive not set at a level is inherited from the enclosing one, and the array-like ones
 * (`proxy_set_header`, `add_header`) are inherited only when the level sets none of its own.
 */

/** Debian's stock nginx.conf http {} (what a sites-enabled fragment sits in): gzip is on there. */
const DEBIAN_HTTP = parseNginx(
  ["http {", "    sendfile on;", "    tcp_nopush on;", "    ssl_prefer_server_ciphers on;", "    gzip on;", "}"].join(
    "\n",
  ),
  "/etc/nginx/nginx.conf (Debian's)",
)[0]!;

/** A server block with what encloses it (its http {}, Debian's for a fragment). */
export interface NginxServer {
  readonly http: ConfigNode;
  readonly server: ConfigNode;
  readonly names: readonly string[];
  readonly ports: ReadonlyArray<{ port: number; tls: boolean; defaultServer: boolean }>;
}

export function nginxServers(tree: readonly ConfigNode[], layout: "main" | "site"): NginxServer[] {
  const out: NginxServer[] = [];
  const https =
    layout === "main"
      ? tree.filter((d) => d.name === "http" && d.children)
      : [{ ...DEBIAN_HTTP, children: [...DEBIAN_HTTP.children!, ...tree] }];
  for (const http of https) {
    for (const server of http.children!.filter((d) => d.name === "server" && d.children)) {
      const listens = server.children!.filter((d) => d.name === "listen" && d.args[0]);
      const sslOn = server.children!.some((d) => d.name === "ssl" && d.args[0] === "on");
      const ports = (
        listens.length ? listens : [{ name: "listen", args: ["80"], file: server.file, line: server.line }]
      )
        .filter((l) => !l.args[0]!.startsWith("unix:") && !l.args.includes("quic"))
        .map((l) => ({
          port: Number(/(?:^|:)(\d+)$/.exec(l.args[0]!)?.[1] ?? 80),
          tls: sslOn || l.args.includes("ssl"),
          defaultServer: l.args.includes("default_server") || l.args.includes("default"),
        }));
      const names = server.children!.filter((d) => d.name === "server_name").flatMap((d) => d.args);
      out.push({ http, server, names, ports });
    }
  }
  return out;
}

/** The server that answers a request for `host` on `port`: a matching server_name, else that port's default. */
export function selectServer(servers: readonly NginxServer[], host: string, port: number): NginxServer | undefined {
  const onPort = servers.filter((s) => s.ports.some((p) => p.port === port));
  const matches = (name: string) => {
    if (name === host) return true;
    if (name.startsWith("*.")) return host.endsWith(name.slice(1));
    if (name.startsWith(".")) return host === name.slice(1) || host.endsWith(name);
    if (name.endsWith(".*")) return host.startsWith(name.slice(0, -1));
    if (name.startsWith("~")) {
      try {
        return new RegExp(name.slice(1)).test(host);
      } catch {
        return false;
      }
    }
    return false;
  };
  return (
    onPort.find((s) => s.names.some(matches)) ??
    onPort.find((s) => s.ports.some((p) => p.port === port && p.defaultServer)) ??
    onPort[0]
  );
}

interface Location {
  node: ConfigNode;
  modifier: "=" | "^~" | "~" | "~*" | "";
  path: string;
}

function locationsIn(block: ConfigNode): Location[] {
  return (block.children ?? [])
    .filter((d) => d.name === "location" && d.children && d.args.length > 0)
    .map((d) => {
      const [first, second] = d.args as [string, string | undefined];
      return ["=", "^~", "~", "~*"].includes(first) && second !== undefined
        ? { node: d, modifier: first as Location["modifier"], path: second }
        : { node: d, modifier: "" as const, path: first };
    })
    .filter((l) => !l.path.startsWith("@"));
}

function regexMatches(l: Location, uri: string): boolean {
  try {
    return new RegExp(l.path, l.modifier === "~*" ? "i" : "").test(uri);
  } catch {
    return false;
  }
}

/** The chain of locations (outermost first) that serves `uri` in a block, as nginx selects them. */
export function selectLocation(block: ConfigNode, uri: string): ConfigNode[] {
  const locations = locationsIn(block);
  const exact = locations.find((l) => l.modifier === "=" && l.path === uri);
  if (exact) return [exact.node];
  const prefix = locations
    .filter((l) => (l.modifier === "" || l.modifier === "^~") && uri.startsWith(l.path))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const nested = prefix ? selectLocation(prefix.node, uri) : [];
  // A nested regex or exact match inside the prefix wins over this level's regexes.
  const nestedIsRegex =
    nested.length > 0 &&
    locationsIn(prefix!.node).some((l) => l.node === nested[0] && l.modifier !== "" && l.modifier !== "^~");
  if (prefix && (prefix.modifier === "^~" || nestedIsRegex)) return [prefix.node, ...nested];
  const regex = locations.find((l) => (l.modifier === "~" || l.modifier === "~*") && regexMatches(l, uri));
  if (regex) return [regex.node, ...selectLocation(regex.node, uri)];
  return prefix ? [prefix.node, ...nested] : [];
}

/** The levels a request passes, outermost first: http, server, and the selected location chain. */
export function levelsFor(server: NginxServer, uri: string): ConfigNode[] {
  return [server.http, server.server, ...selectLocation(server.server, uri)];
}

/** A directive's effective occurrence: the innermost level that sets it (the last one there), or undefined. */
export function effective(levels: readonly ConfigNode[], name: string): ConfigNode | undefined {
  for (let i = levels.length - 1; i >= 0; i--) {
    const found = (levels[i]!.children ?? []).filter((d) => d.name === name);
    if (found.length > 0) return found.at(-1);
  }
  return undefined;
}

/**
 * The effective set of an array-like directive (`proxy_set_header`, `add_header`): the innermost level that sets
 * any of it, whole; levels outside it are ignored, which is how a location that adds one header loses the
 * server's others. `level` is that level, or undefined when no level sets any (nginx's defaults apply).
 */
export function effectiveSet(
  levels: readonly ConfigNode[],
  name: string,
): { level: ConfigNode | undefined; nodes: ConfigNode[] } {
  for (let i = levels.length - 1; i >= 0; i--) {
    const found = (levels[i]!.children ?? []).filter((d) => d.name === name);
    if (found.length > 0) return { level: levels[i], nodes: found };
  }
  return { level: undefined, nodes: [] };
}

/** nginx's `proxy_read_timeout`-style time ("60s", "1h", "90", "1m30s") in ms. */
export function nginxTimeMs(value: string): number | null {
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h|d|w|M|y)?/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== value) return null;
  const unit: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
    M: 2_592_000_000,
    y: 31_536_000_000,
  };
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u ?? "s"]!, 0);
}
