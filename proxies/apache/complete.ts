import { TLS_DIR, type LineEdit } from "../adapt";
import type { ConfigFile } from "../config-files";
import type { ConfigNode } from "../config-tree";

/**
 * A site file made only of what goes inside a `<VirtualHost>` (ProxyPass lines, `<Location>` blocks, rewrite rules
 * for WebSockets), for an `Include` in a virtual host the file does not give: it runs in a TLS virtual host with
 * the harness's test certificate and the name app.test (Debian's `Protocols h2 h2c http/1.1` gives it HTTP/2), as
 * a line edit shown in the diff and a node in the tree. Anything else stays as written.
 */
export function completeApache(
  files: readonly ConfigFile[],
  tree: readonly ConfigNode[],
  layout: "main" | "site",
): { tree: ConfigNode[]; edits: LineEdit[] } {
  const hasHost = (nodes: readonly ConfigNode[]): boolean =>
    nodes.some((n) => n.name.toLowerCase() === "virtualhost" || (n.children ? hasHost(n.children) : false));
  if (layout !== "site" || hasHost(tree)) return { tree: [...tree], edits: [] };
  const proxying = (n: ConfigNode): boolean =>
    /^(proxypass|proxypassmatch|proxypassreverse|rewriterule|location|locationmatch|proxy|proxymatch)$/i.test(n.name) ||
    (n.children ?? []).some(proxying);
  const inner = tree.filter((n) => !SERVER_ONLY.test(n.name));
  const head = inner[0];
  const tail = inner.at(-1);
  if (!head || !tail || !inner.some(proxying) || head.file !== tail.file || !files.some((f) => f.shown === head.file))
    return { tree: [...tree], edits: [] };
  const why = `${head.file} is a fragment of a virtual host (its ${inner.find(proxying)!.name} lines go inside a <VirtualHost> that includes it): it runs in a TLS virtual host with the harness's test certificate and the name app.test`;
  const wrapper = `${head.file} (the virtual host the harness wraps it in)`;
  const lines = [
    "<VirtualHost *:443>",
    "    ServerName app.test",
    "    SSLEngine on",
    `    SSLCertificateFile ${TLS_DIR}/server.crt`,
    `    SSLCertificateKeyFile ${TLS_DIR}/server.key`,
  ];
  const edits: LineEdit[] = [
    { at: head, insertBefore: lines.join("\n"), why },
    { at: { file: tail.file, line: tail.endLine ?? tail.line }, insertAfter: "</VirtualHost>", why },
  ];
  const added = (name: string, args: string[]): ConfigNode => ({
    name,
    args,
    file: wrapper,
    line: head.line,
    added: why,
  });
  const vhost: ConfigNode = {
    name: "VirtualHost",
    args: ["*:443"],
    file: wrapper,
    line: head.line,
    endLine: tail.endLine ?? tail.line,
    added: why,
    children: [
      added("ServerName", ["app.test"]),
      added("SSLEngine", ["on"]),
      added("SSLCertificateFile", [`${TLS_DIR}/server.crt`]),
      added("SSLCertificateKeyFile", [`${TLS_DIR}/server.key`]),
      ...inner,
    ],
  };
  const first = tree.indexOf(head);
  const last = tree.indexOf(tail);
  // Server-wide lines between the first and the last stay where they are: inside the wrapper too (Apache takes
  // them in a virtual host or refuses them in its own words).
  return { tree: [...tree.slice(0, first), vhost, ...tree.slice(last + 1)], edits };
}

/** Directives that only the server's own config takes: they stay outside the wrapping virtual host. */
const SERVER_ONLY = /^(listen|loadmodule|serverroot|mutex|pidfile|user|group|define|startservers|maxrequestworkers)$/i;
