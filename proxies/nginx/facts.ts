import path from "node:path";
import { walk, type ConfigNode } from "../config-tree";
import { concreteName, reachOf, type ConfigFacts, type NamedFile, type ProxiedPath, type Upstream } from "../facts";
import { nginxListens } from "./listens";
import type { LoadedNginx } from "./load";

/** The `*_pass` directives that send a request to an upstream, and the scheme each speaks. */
const PASSES: Record<string, string> = {
  proxy_pass: "http",
  grpc_pass: "grpc",
  uwsgi_pass: "uwsgi",
  fastcgi_pass: "fastcgi",
  scgi_pass: "scgi",
};

function parseTarget(
  value: string,
  defaultPort: number,
): { host: string; port: number; tls: boolean; rest: string } | null {
  if (value.startsWith("unix:"))
    return { host: value.split(":").slice(0, 2).join(":"), port: 80, tls: false, rest: "" };
  const m = /^(?:(https?|grpcs?|wss?):\/\/)?(\[[^\]]+\]|[^/:]+)(?::(\d+))?(\/.*)?$/.exec(value);
  if (!m) return null;
  const [, scheme, host, port, rest] = m;
  const tls = scheme === "https" || scheme === "grpcs";
  return { host: host!, port: port ? Number(port) : tls ? 443 : defaultPort, tls, rest: rest ?? "" };
}

/** Directories Debian's nginx package (and the image) has: a file named in one of them needs nothing made. */
const STOCK_DIRECTORIES = [
  "/var/log/nginx",
  "/var/lib/nginx",
  "/run",
  "/var/run",
  "/tmp",
  "/etc/nginx",
  "/usr/share/nginx",
  "/var/www",
];
/** Where nginx resolves a relative log, temp or cache path: its prefix, Debian's --prefix. */
const NGINX_RUNTIME_PREFIX = "/usr/share/nginx";

/**
 * The directory a directive needs to exist before nginx starts: a cache or temp path (nginx makes the last level
 * only), or the folder of a log or pid file (nginx opens the file, and fails when the folder is missing).
 */
function directoryNamed(node: ConfigNode): string | null {
  const value = node.args[0];
  if (!value || value.includes("$")) return null;
  const absolute = (p: string) => (p.startsWith("/") ? p : path.posix.join(NGINX_RUNTIME_PREFIX, p));
  if (/_(cache|temp)_path$/.test(node.name)) return path.posix.dirname(absolute(value));
  if (node.name === "access_log" || node.name === "error_log" || node.name === "pid") {
    if (value === "off" || /^(syslog|memory|stderr):?/.test(value) || value.startsWith("/dev/")) return null;
    return path.posix.dirname(absolute(value));
  }
  return null;
}

/** The values each variable can take where the config sets it: `set $name value;` and each `map … $name {}` value. */
function variableValues(tree: readonly ConfigNode[]): Map<string, Array<{ value: string; at: ConfigNode }>> {
  const out = new Map<string, Array<{ value: string; at: ConfigNode }>>();
  const put = (name: string, value: string, at: ConfigNode) => out.set(name, [...(out.get(name) ?? []), { value, at }]);
  for (const { node } of walk(tree)) {
    if (node.name === "set" && node.args.length === 2 && node.args[0]!.startsWith("$"))
      put(node.args[0]!.slice(1), node.args[1]!, node);
    if (node.name === "map" && node.children && node.args[1]?.startsWith("$"))
      for (const entry of node.children)
        if (entry.args.length === 1 && !["hostnames", "volatile", "include"].includes(entry.name))
          put(node.args[1].slice(1), entry.args[0]!, entry);
  }
  return out;
}

export function nginxFacts(loaded: LoadedNginx): ConfigFacts {
  const { tree } = loaded;
  const listens = nginxListens(tree);
  const ownPorts = listens.map((l) => l.port);
  const upstreamBlocks = new Map<string, ConfigNode>();
  for (const { node } of walk(tree))
    if (node.name === "upstream" && node.children && node.args[0]) upstreamBlocks.set(node.args[0], node);

  const upstreams: Upstream[] = [];
  const values = variableValues(tree);
  const add = (value: string, at: ConfigNode, defaultPort: number) => {
    if (value.includes("$")) {
      // A variable the config sets (`set $backend app:3000;`, a `map`) reaches the host names it can hold,
      // resolved at run time through its resolver: each is an alias of the app. An address is left as written (a
      // name in its place would need a resolver the config may not have).
      const name = /\$\{?(\w+)\}?/.exec(value);
      for (const v of (name && values.get(name[1]!)) ?? []) {
        const t = parseTarget(value.replace(name![0], v.value).split("$")[0]!, defaultPort);
        if (t && !v.value.includes("$") && reachOf(t.host, t.port, ownPorts) === "name")
          upstreams.push({
            host: t.host,
            port: t.port,
            tls: t.tls,
            at: v.at,
            written: v.value,
            reach: "name",
          });
      }
      return;
    }
    const t = parseTarget(value, defaultPort);
    if (!t) return;
    upstreams.push({ host: t.host, port: t.port, tls: t.tls, at, reach: reachOf(t.host, t.port, ownPorts) });
  };
  for (const { node, within } of walk(tree)) {
    if (PASSES[node.name] && node.args[0]) {
      const t = parseTarget(node.args[0], 80);
      if (t && upstreamBlocks.has(t.host)) continue; // its servers are listed below
      add(node.args[0], node, 80);
    }
    if (node.name === "server" && !node.children && within.at(-1)?.name === "upstream" && node.args[0])
      add(node.args[0], node, 80);
  }

  const files: NamedFile[] = [];
  const roles: Record<string, NamedFile["role"]> = {
    ssl_certificate: "certificate",
    ssl_certificate_key: "key",
    ssl_trusted_certificate: "ca",
    ssl_client_certificate: "ca",
    ssl_dhparam: "dhparams",
    proxy_ssl_certificate: "certificate",
    proxy_ssl_certificate_key: "key",
    proxy_ssl_trusted_certificate: "ca",
  };
  for (const { node } of walk(tree)) {
    const role = roles[node.name];
    if (role && node.args[0] && !node.args[0].includes("$") && !node.args[0].startsWith("data:"))
      files.push({ path: node.args[0], role, at: node });
  }

  for (const { node } of walk(tree)) {
    const dir = directoryNamed(node);
    if (dir && !STOCK_DIRECTORIES.includes(dir) && !dir.startsWith("/dev/"))
      files.push({ path: dir, role: "directory", at: node });
  }

  const names = [
    ...new Set(
      tree.length
        ? [...walk(tree)]
            .filter(({ node }) => node.name === "server_name")
            .flatMap(({ node }) => node.args.map(concreteName))
            .filter((n): n is string => n !== null)
        : [],
    ),
  ];

  const proxied: ProxiedPath[] = [];
  for (const { node, within } of walk(tree)) {
    if (node.name !== "proxy_pass" || !node.args[0]) continue;
    const location = [...within].reverse().find((w) => w.name === "location");
    if (!location) continue;
    const [a, b] = location.args as [string, string | undefined];
    const match: ProxiedPath["match"] = a === "=" ? "exact" : a === "~" || a === "~*" ? "regex" : "prefix";
    const path = match === "prefix" && a === "^~" ? b! : match === "prefix" ? a : b!;
    const target = parseTarget(node.args[0], 80);
    // `proxy_pass http://app/;` (a URI part) replaces the matched prefix: the app sees the path without it.
    proxied.push({
      path,
      match,
      upstream: node.args[0],
      strips: match === "prefix" && !!target?.rest && target.rest !== path && !node.args[0].includes("$"),
      at: location,
    });
  }
  // A location that falls back to a named one (`try_files $uri @app;`, `error_page 404 = @app;`) proxies what
  // that one proxies: requests for the app's paths, which are no files, end there.
  const named = new Map(proxied.filter((p) => p.path.startsWith("@")).map((p) => [p.path, p]));
  for (const { node, within } of walk(tree)) {
    if ((node.name !== "try_files" && node.name !== "error_page") || !named.has(node.args.at(-1) ?? "")) continue;
    const location = [...within].reverse().find((w) => w.name === "location");
    if (!location || location.args[0]?.startsWith("@")) continue;
    const [a, b] = location.args as [string, string | undefined];
    const match: ProxiedPath["match"] = a === "=" ? "exact" : a === "~" || a === "~*" ? "regex" : "prefix";
    proxied.push({
      path: a === "^~" || match !== "prefix" ? b! : a,
      match,
      upstream: named.get(node.args.at(-1)!)!.upstream,
      strips: false,
      at: location,
    });
  }
  return { listens, names, upstreams, files, proxied: proxied.filter((p) => !p.path.startsWith("@")) };
}
