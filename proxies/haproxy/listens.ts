import { uniqueListens, type ConfigNode, type Listen } from "../config-tree";

/**
 * The ports frontends and listen sections bind: `bind :443 ssl crt …`, `bind *:80`, `bind 0.0.0.0:8443 ssl`,
 * `bind :::443 v4v6 ssl`, and `frontend name addr:port` / `listen name addr:port` on the section line. A range or
 * a unix socket is not a port a browser reaches.
 */
export function haproxyListens(tree: readonly ConfigNode[]): Listen[] {
  const out: Listen[] = [];
  for (const section of tree.filter((s) => s.name === "frontend" || s.name === "listen")) {
    const binds = (section.children ?? []).filter((d) => d.name === "bind");
    for (const bind of binds) {
      const tls = bind.args.slice(1).includes("ssl");
      for (const address of (bind.args[0] ?? "").split(",")) {
        const port = /:(\d+)$/.exec(address)?.[1];
        if (port) out.push({ port: Number(port), tls, at: bind });
      }
    }
    for (const address of (section.args[1] ?? "").split(",")) {
      const port = /:(\d+)$/.exec(address)?.[1];
      if (port) out.push({ port: Number(port), tls: false, at: section });
    }
  }
  return uniqueListens(out);
}
