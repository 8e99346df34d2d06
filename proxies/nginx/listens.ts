import { findAll, uniqueListens, type ConfigNode, type Listen } from "../config-tree";

/**
 * The TCP ports a config's servers listen on, as nginx reads `listen`: `443 ssl`, `[::]:8443 ssl`,
 * `127.0.0.1:80`, `app.test` (port 80); a server with no `listen` listens on 80 (nginx run as root). UDP
 * (`quic`) and unix sockets are not ports a browser reaches.
 */
export function nginxListens(tree: readonly ConfigNode[]): Listen[] {
  const out: Listen[] = [];
  for (const server of findAll(tree, "server").filter((s) => s.children)) {
    const listens = server.children!.filter((d) => d.name === "listen" && d.args.length > 0);
    // `ssl on;` (removed in nginx 1.25.1) makes every listen of its server a TLS one.
    const sslOn = server.children!.some((d) => d.name === "ssl" && d.args[0] === "on");
    if (listens.length === 0) out.push({ port: 80, tls: sslOn, at: server });
    for (const l of listens) {
      const port = portOf(l.args[0]!);
      if (port === null || l.args.includes("quic")) continue;
      out.push({ port, tls: sslOn || l.args.includes("ssl"), at: l });
    }
  }
  return uniqueListens(out);
}

function portOf(address: string): number | null {
  if (address.startsWith("unix:")) return null;
  const m = /(?:^|:)(\d+)$/.exec(address);
  return m ? Number(m[1]) : 80;
}
