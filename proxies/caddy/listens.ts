import { uniqueListens, type ConfigNode, type Listen } from "../config-tree";

/**
 * The ports Caddy serves a Caddyfile's sites on. A site address is `[scheme://]host[:port]`: `http://` means 80,
 * `https://` or a bare host means 443 (TLS), `host:8080` that port with TLS, `:8080` plain http; `auto_https off` leaves a site without `tls` on plain http. The global `http_port` and
 * `https_port` options move the defaults.
 */
export function caddyListens(tree: readonly ConfigNode[]): Listen[] {
  const global = tree.find((n) => n.name === "global")?.children ?? [];
  const option = (name: string) => global.find((o) => o.name === name)?.args[0];
  const httpPort = Number(option("http_port") ?? 80);
  const httpsPort = Number(option("https_port") ?? 443);
  const autoHttpsOff = option("auto_https") === "off";
  const out: Listen[] = [];
  for (const site of tree.filter((n) => n.name === "site")) {
    const hasTls = (site.children ?? []).some((d) => d.name === "tls");
    for (const address of site.args) {
      const m = /^(?:(https?):\/\/)?([^:/]*)(?::(\d+))?/.exec(address);
      if (!m) continue;
      const [, scheme, host, port] = m;
      const p = port ? Number(port) : scheme === "http" ? httpPort : httpsPort;
      // Without a host name (`:8080`) Caddy has no name to get a certificate for: plain http unless `tls` says so.
      const plain = scheme === "http" || p === httpPort || (!hasTls && (autoHttpsOff || (!host && scheme !== "https")));
      out.push({ port: p, tls: !plain, at: site });
    }
  }
  return uniqueListens(out);
}
