import { findAll, uniqueListens, type ConfigNode, type Listen } from "../config-tree";

/**
 * The ports a site listens on: each `<VirtualHost addr:port>` (TLS when it has `SSLEngine on`), and `Listen`
 * lines (`Listen 8443 https`). Debian's ports.conf already listens on 80 and 443 (with mod_ssl).
 */
export function apacheListens(tree: readonly ConfigNode[]): Listen[] {
  const out: Listen[] = [];
  for (const vhost of findAll(tree, "VirtualHost")) {
    const tls = (vhost.children ?? []).some(
      (d) => d.name.toLowerCase() === "sslengine" && d.args[0]?.toLowerCase() === "on",
    );
    for (const address of vhost.args) {
      const port = /:(\d+)$/.exec(address)?.[1];
      out.push({ port: port ? Number(port) : 80, tls, at: vhost });
    }
  }
  for (const listen of findAll(tree, "Listen")) {
    const port = /(?:^|:)(\d+)$/.exec(listen.args[0] ?? "")?.[1];
    if (port) out.push({ port: Number(port), tls: listen.args[1]?.toLowerCase() === "https", at: listen });
  }
  return uniqueListens(out);
}
