import type { ConfigNode } from "../config-tree";
import { concreteName, reachOf, type ConfigFacts, type NamedFile, type ProxiedPath, type Upstream } from "../facts";
import { haproxyListens } from "./listens";
import type { LoadedHaproxy } from "./load";

/** `app:80`, `127.0.0.1:3000`, `ipv4@10.0.0.5:8080`, `unix@/run/app.sock`, `/run/app.sock`. */
export function parseServerAddress(address: string): { host: string; port: number } | null {
  const a = address.replace(/^(ipv4|ipv6)@/, "");
  if (a.startsWith("unix@") || a.startsWith("/")) return { host: `unix:${a.replace(/^unix@/, "")}`, port: 80 };
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(a);
  return m ? { host: m[1]!, port: m[2] ? Number(m[2]) : 80 } : null;
}

export function haproxyFacts(loaded: LoadedHaproxy): ConfigFacts {
  const { tree } = loaded;
  const listens = haproxyListens(tree);
  const ownPorts = listens.map((l) => l.port);
  const upstreams: Upstream[] = [];
  const files: NamedFile[] = [];
  const names: string[] = [];
  const proxied: ProxiedPath[] = [];
  for (const section of tree) {
    for (const line of section.children ?? []) {
      if (line.name === "server" && (section.name === "backend" || section.name === "listen") && line.args[1]) {
        const t = parseServerAddress(line.args[1]);
        if (t && !line.args[1].includes("$"))
          upstreams.push({
            host: t.host,
            port: t.port,
            tls: line.args.slice(2).includes("ssl"),
            at: line,
            reach: reachOf(t.host, t.port, ownPorts),
          });
      }
      if (line.name === "bind") {
        for (let i = 1; i < line.args.length - 1; i++) {
          const [opt, value] = [line.args[i]!, line.args[i + 1]!];
          if (opt === "crt")
            files.push({
              path: value,
              role: value.endsWith("/") || !/\.(pem|crt)$/.test(value) ? "certificate-dir" : "certificate-and-key",
              at: line,
            });
          if (opt === "ca-file") files.push({ path: value, role: "ca", at: line });
          if (opt === "crt-list") files.push({ path: value, role: "crt-list", at: line });
        }
      }
      if (line.name === "chroot" && line.args[0]) files.push({ path: line.args[0], role: "directory", at: line });
      if (line.name === "ssl-dh-param-file" && line.args[0])
        files.push({ path: line.args[0], role: "dhparams", at: line });
      // Host ACLs: `acl is_app hdr(host) -i app.example.com`, `hdr_dom(host)`, `req.hdr(host)`.
      if (line.name === "acl" && /hdr(_\w+)?\(host\)/i.test(line.args[1] ?? "")) {
        for (const v of line.args.slice(2).filter((a) => !a.startsWith("-"))) {
          const n = concreteName(v.replace(/:\d+$/, ""));
          if (n) names.push(n);
        }
      }
      if (line.name === "use_backend" || line.name === "default_backend")
        proxied.push({
          path: "/",
          match: "prefix",
          upstream: line.args[0] ?? "",
          strips: false,
          at: line as ConfigNode,
        });
    }
  }
  return { listens, names: [...new Set(names)], upstreams, files, proxied };
}
