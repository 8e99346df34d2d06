import { walk, type ConfigNode } from "../config-tree";
import { concreteName, reachOf, type ConfigFacts, type NamedFile, type ProxiedPath, type Upstream } from "../facts";
import { apacheListens } from "./listens";
import type { LoadedApache } from "./load";

/** `http://host:port/path`, `ws://…`, `unix:/run/app.sock|http://localhost/`; balancer:// names are not hosts. */
export function parseApacheUrl(url: string): { host: string; port: number; tls: boolean; path: string } | null {
  const unix = /^unix:([^|]+)\|/i.exec(url);
  if (unix) return { host: `unix:${unix[1]}`, port: 80, tls: false, path: "" };
  const m = /^(https?|wss?|h2c?):\/\/(\[[^\]]+\]|[^/:]+)(?::(\d+))?(\/.*)?$/i.exec(url);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  const tls = scheme === "https" || scheme === "wss" || scheme === "h2";
  return { host: m[2]!, port: m[3] ? Number(m[3]) : tls ? 443 : 80, tls, path: m[4] ?? "" };
}

export function apacheFacts(loaded: LoadedApache): ConfigFacts {
  const { tree } = loaded;
  const listens = apacheListens(tree);
  const ownPorts = listens.map((l) => l.port);
  const upstreams: Upstream[] = [];
  const proxied: ProxiedPath[] = [];
  const add = (url: string, at: ConfigNode) => {
    // A variable in the host part is resolved at run time; one in the path (`%{REQUEST_URI}`) is not our business.
    if (/^\w+:\/\/[^/]*(\$|%\{)/.test(url)) return;
    const t = parseApacheUrl(url);
    if (t) upstreams.push({ host: t.host, port: t.port, tls: t.tls, at, reach: reachOf(t.host, t.port, ownPorts) });
  };
  for (const { node, within } of walk(tree)) {
    const name = node.name.toLowerCase();
    const location = [...within].reverse().find((w) => /^location(match)?$/i.test(w.name));
    if (name === "proxypass" || name === "proxypassmatch") {
      // In <Location /x>, `ProxyPass url`; elsewhere `ProxyPass /x url`. `ProxyPass /x !` excludes a path.
      const [path, url] =
        location && node.args.length >= 1 && !node.args[0]!.startsWith("/")
          ? [location.args[0]!, node.args[0]!]
          : [node.args[0]!, node.args[1] ?? ""];
      if (url === "!" || !url) continue;
      add(url, node);
      const t = parseApacheUrl(url);
      proxied.push({
        path,
        match: name === "proxypassmatch" || /^locationmatch$/i.test(location?.name ?? "") ? "regex" : "prefix",
        upstream: url,
        strips: !!t && t.path !== path,
        at: node,
      });
    }
    if (name === "balancermember" && node.args[0]) add(node.args[0], node);
    if (name === "rewriterule" && node.args[1] && /\[([^\]]*[,\s])?P([,\]\s]|$)/i.test(node.args[2] ?? "")) {
      add(node.args[1], node);
      // `RewriteRule ^/(.*)$ http://app:3000/$1 [P]` proxies what its pattern matches (conditions aside).
      proxied.push({ path: node.args[0]!, match: "regex", upstream: node.args[1], strips: false, at: node });
    }
  }
  const roles: Record<string, NamedFile["role"]> = {
    sslcertificatefile: "certificate",
    sslcertificatekeyfile: "key",
    sslcertificatechainfile: "ca",
    sslcacertificatefile: "ca",
  };
  const files: NamedFile[] = [];
  for (const { node } of walk(tree)) {
    const role = roles[node.name.toLowerCase()];
    if (role && node.args[0]) files.push({ path: node.args[0], role, at: node });
    if (
      node.name.toLowerCase() === "sslopensslconfcmd" &&
      node.args[0]?.toLowerCase() === "dhparameters" &&
      node.args[1]
    )
      files.push({ path: node.args[1], role: "dhparams", at: node });
  }
  const names = [
    ...new Set(
      [...walk(tree)]
        .filter(({ node }) => /^server(name|alias)$/i.test(node.name))
        .flatMap(({ node }) => node.args.map((a) => concreteName(a.replace(/:\d+$/, ""))))
        .filter((n): n is string => n !== null),
    ),
  ];
  return { listens, names, upstreams, files, proxied };
}
