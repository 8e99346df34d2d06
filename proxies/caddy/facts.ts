import { walk, type ConfigNode } from "../config-tree";
import { concreteName, reachOf, type ConfigFacts, type NamedFile, type ProxiedPath, type Upstream } from "../facts";
import { caddyListens } from "./listens";
import type { LoadedCaddy } from "./load";

/** `localhost:3000`, `app:80`, `http://app`, `h2c://app:8080`, `:8080` (this host), `unix//run/app.sock`. */
export function parseCaddyUpstream(value: string): { host: string; port: number; tls: boolean } | null {
  if (value.startsWith("unix/")) return { host: `unix:${value.slice(5)}`, port: 80, tls: false };
  const m = /^(?:(https?|h2c):\/\/)?(\[[^\]]+\]|[^:/]*)(?::(\d+))?\/?$/.exec(value);
  if (!m) return null;
  const tls = m[1] === "https";
  return { host: m[2] || "localhost", port: m[3] ? Number(m[3]) : tls ? 443 : 80, tls };
}

const isMatcher = (token: string) => token.startsWith("/") || token.startsWith("@") || token === "*";

export function caddyFacts(loaded: LoadedCaddy): ConfigFacts {
  const { tree } = loaded;
  const listens = caddyListens(tree);
  const ownPorts = listens.map((l) => l.port);
  const upstreams: Upstream[] = [];
  const proxied: ProxiedPath[] = [];
  for (const { node, within } of walk(tree)) {
    if (within.some((w) => w.name === "snippet")) continue; // counted where it is imported
    const targets: Array<{ value: string; at: ConfigNode }> = [];
    if (node.name === "reverse_proxy") {
      const args = node.args[0] && isMatcher(node.args[0]) ? node.args.slice(1) : node.args;
      targets.push(...args.map((value) => ({ value, at: node })));
      for (const sub of node.children ?? [])
        if (sub.name === "to") targets.push(...sub.args.map((value) => ({ value, at: sub })));
      const handle = [...within]
        .reverse()
        .find((w) => w.name === "handle_path" || w.name === "handle" || w.name === "route");
      const path = node.args[0]?.startsWith("/")
        ? node.args[0]
        : handle?.args[0]?.startsWith("/")
          ? handle.args[0]
          : "/";
      proxied.push({
        path: path.replace(/\*$/, ""),
        match: "prefix",
        upstream: targets.map((t) => t.value).join(" "),
        strips: handle?.name === "handle_path",
        at: node,
      });
    }
    for (const t of targets) {
      if (t.value.includes("{")) continue; // a placeholder, resolved at run time
      const u = parseCaddyUpstream(t.value);
      if (u)
        upstreams.push({ host: u.host, port: u.port, tls: u.tls, at: t.at, reach: reachOf(u.host, u.port, ownPorts) });
    }
  }
  const files: NamedFile[] = [];
  for (const { node } of walk(tree)) {
    if (node.name === "tls" && node.args.length >= 2 && !node.args[0]!.includes("@")) {
      files.push(
        { path: node.args[0]!, role: "certificate", at: node },
        { path: node.args[1]!, role: "key", at: node },
      );
    }
  }
  const names = [
    ...new Set(
      tree
        .filter((n) => n.name === "site")
        .flatMap((s) =>
          s.args.map((a) =>
            concreteName(
              a
                .replace(/^https?:\/\//, "")
                .replace(/:\d+$/, "")
                .replace(/\/.*$/, ""),
            ),
          ),
        )
        .filter((n): n is string => n !== null),
    ),
  ];
  return { listens, names, upstreams, files, proxied };
}
