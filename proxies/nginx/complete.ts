import path from "node:path";
import { TLS_DIR, type LineEdit } from "../adapt";
import { walk, type ConfigNode } from "../config-tree";
import type { ConfigFile } from "../config-files";
import { concreteName } from "../facts";
import { compareVersions, DEFAULT_NGINX_VERSION } from "./versions";

/**
 * What a deployment has and a config file does not, completed on the copy the way the deployment completes it,
 * each as a line edit with why (shown in the diff before the run) and as nodes in the tree (so the config is read
 * as it runs). The user's files are never written.
 * - An `http {}` without `events {}` sits in Debian's nginx.conf, which has one.
 * - A fragment of `location` blocks is included in a server the file does not give: a TLS server with HTTP/2.
 * - A `listen … ssl` server without a certificate gets one where its lines are commented out "until you have a
 *   certificate", or where certbot adds them.
 */
export interface NginxCompletion {
  readonly tree: ConfigNode[];
  readonly edits: LineEdit[];
}

/** Directives that only a server (or location) takes: a file that has them at its top is a server's fragment. */
const SERVER_LEVEL = new Set(["location", "listen", "server_name", "if", "return", "rewrite", "set", "try_files"]);
/** Blocks and directives that only the http level takes: they cannot go into the wrapping server. */
const HTTP_LEVEL = new Set([
  "server",
  "upstream",
  "map",
  "geo",
  "split_clients",
  "limit_req_zone",
  "limit_conn_zone",
  "proxy_cache_path",
  "fastcgi_cache_path",
  "uwsgi_cache_path",
  "scgi_cache_path",
  "log_format",
  "js_import",
]);

/** The accounts Debian's nginx image has that a config's `user` may name. */
const IMAGE_USERS = new Set(["root", "www-data", "nobody", "nogroup", "daemon"]);

const indentOf = (text: string) => /^\s*/.exec(text)?.[0] ?? "";

/** A node the harness adds, at a place in the user's file (or its own, for a wrapper). */
function added(name: string, args: string[], file: string, line: number, why: string): ConfigNode {
  return { name, args, file, line, added: why };
}

/** Whether nginx of this version takes `http2 on;` (1.25.1 and later; `listen … http2` before). */
export function hasHttp2Directive(version: string | undefined): boolean {
  return compareVersions(version ?? DEFAULT_NGINX_VERSION, "1.25.1") >= 0;
}

export function completeNginx(
  files: readonly ConfigFile[],
  tree: readonly ConfigNode[],
  layout: "main" | "site",
  version: string | undefined,
): NginxCompletion {
  const edits: LineEdit[] = [];
  const textOf = (file: string) => files.find((f) => f.shown === file)?.text.split("\n");
  let out = [...tree];

  // A whole nginx.conf without events {}: nginx refuses it ("no "events" section in configuration").
  if (layout === "main" && !out.some((n) => n.name === "events")) {
    const http = out.find((n) => n.name === "http" && n.children);
    const anchor = http ?? out[0];
    if (anchor && textOf(anchor.file)) {
      const why =
        'nginx needs an events section and this file has none: Debian\'s nginx.conf has "events { worker_connections 768; }"';
      edits.push({ at: anchor, insertBefore: "events {\n    worker_connections 768;\n}", why });
      out = [added("events", [], anchor.file, anchor.line, why), ...out];
    }
  }

  // `user nginx;` (the official image's account): Debian's nginx has www-data, and nginx refuses a user it lacks.
  for (const user of out.filter((n) => n.name === "user" && n.args.some((a) => !IMAGE_USERS.has(a)))) {
    const [name, group] = user.args;
    const why = `user ${user.args.join(" ")}: an account of the image this config was written for (the official nginx image has nginx); Debian's nginx runs as www-data, and nginx refuses a user or group the system lacks`;
    if (name && !IMAGE_USERS.has(name)) edits.push({ at: user, after: "user", find: name, replace: "www-data", why });
    if (group && !IMAGE_USERS.has(group))
      edits.push({
        at: user,
        // Found after the user as the line reads once the user is mapped (`user www-data nginx`).
        after: `user ${name && IMAGE_USERS.has(name) ? name : "www-data"}`,
        find: group,
        replace: "www-data",
        why,
      });
  }

  // A server's fragment (`location` blocks for an `include` inside a server): wrapped in a TLS server.
  if (layout === "site") out = wrapFragment(out, files, version, edits);

  // A TLS server without a certificate.
  out = out.map((n) => completeCertificates(n, out, files, edits));
  return { tree: out, edits };
}

function wrapFragment(
  tree: ConfigNode[],
  files: readonly ConfigFile[],
  version: string | undefined,
  edits: LineEdit[],
): ConfigNode[] {
  const first = tree.findIndex((n) => SERVER_LEVEL.has(n.name));
  if (first < 0) return tree;
  const last = tree.length - 1 - [...tree].reverse().findIndex((n) => SERVER_LEVEL.has(n.name));
  // Directives before the first location that a server takes too (proxy_set_header, client_max_body_size)
  // belong to the same fragment; http-level blocks before or after it stay outside.
  let start = first;
  while (start > 0 && !HTTP_LEVEL.has(tree[start - 1]!.name)) start--;
  let end = last;
  while (end < tree.length - 1 && !HTTP_LEVEL.has(tree[end + 1]!.name)) end++;
  const inner = tree.slice(start, end + 1);
  // A file that mixes http-level blocks among the server's lines is not one fragment: nginx's own error says so.
  if (inner.some((n) => HTTP_LEVEL.has(n.name))) return tree;
  const head = inner[0]!;
  const tail = inner.at(-1)!;
  if (!files.some((f) => f.shown === head.file) || head.file !== tail.file) return tree;
  const why = `${head.file} is a server's fragment (its ${inner.find((n) => SERVER_LEVEL.has(n.name))!.name} lines go inside a server block that includes it): it runs in a TLS server with HTTP/2, the harness's test certificate and the name app.test`;
  const wrapper = `${head.file} (the server the harness wraps it in)`;
  const h2 = hasHttp2Directive(version);
  const lines = [
    "server {",
    h2 ? "    listen 443 ssl;" : "    listen 443 ssl http2;",
    ...(h2 ? ["    http2 on;"] : []),
    "    server_name app.test;",
    `    ssl_certificate ${TLS_DIR}/server.crt;`,
    `    ssl_certificate_key ${TLS_DIR}/server.key;`,
  ];
  edits.push({ at: head, insertBefore: lines.join("\n"), why });
  edits.push({ at: { file: tail.file, line: tail.endLine ?? tail.line }, insertAfter: "}", why });
  const server: ConfigNode = {
    name: "server",
    args: [],
    file: wrapper,
    line: head.line,
    endLine: tail.endLine ?? tail.line,
    added: why,
    children: [
      added("listen", h2 ? ["443", "ssl"] : ["443", "ssl", "http2"], wrapper, head.line, why),
      ...(h2 ? [added("http2", ["on"], wrapper, head.line, why)] : []),
      added("server_name", ["app.test"], wrapper, head.line, why),
      added("ssl_certificate", [`${TLS_DIR}/server.crt`], wrapper, head.line, why),
      added("ssl_certificate_key", [`${TLS_DIR}/server.key`], wrapper, head.line, why),
      ...inner,
    ],
  };
  return [...tree.slice(0, start), server, ...tree.slice(end + 1)];
}

const COMMENTED = /^(\s*)(#+\s*)(ssl_certificate(?:_key)?)\s+([^;#\s]+)\s*;/;

/** A `listen … ssl` server (at any depth of `node`) with no certificate of its own or from its http level. */
function completeCertificates(
  node: ConfigNode,
  tree: readonly ConfigNode[],
  files: readonly ConfigFile[],
  edits: LineEdit[],
): ConfigNode {
  if (!node.children) return node;
  if (node.name !== "server")
    return { ...node, children: node.children.map((c) => completeCertificates(c, tree, files, edits)) };
  const tls = node.children.some(
    (d) => (d.name === "listen" && d.args.includes("ssl")) || (d.name === "ssl" && d.args[0] === "on"),
  );
  if (!tls || node.children.some((d) => d.name === "ssl_certificate")) return node;
  // Inherited from the http level (the file's own http {} or a fragment's top level).
  const http = [...walk(tree)].find(({ node: n }) => n === node)?.within.at(-1);
  const outer = http ? (http.children ?? []) : tree;
  if (outer.some((d) => d.name === "ssl_certificate")) return node;
  const lines = files.find((f) => f.shown === node.file)?.text.split("\n");
  if (!lines) return node;
  const end = node.endLine ?? node.line;
  const commented = new Map<string, { line: number; path: string; prefix: string }>();
  for (let i = node.line; i < end - 1; i++) {
    const m = COMMENTED.exec(lines[i]!);
    if (m && !commented.has(m[3]!)) commented.set(m[3]!, { line: i + 1, path: m[4]!, prefix: m[2]! });
  }
  const cert = commented.get("ssl_certificate");
  const key = commented.get("ssl_certificate_key");
  if (cert && key) {
    const why = `listen … ssl with its certificate lines commented out (until one is acquired): uncommented, with the run's test certificate at ${cert.path}`;
    for (const c of [cert, key])
      edits.push({ at: { file: node.file, line: c.line }, find: c.prefix, replace: "", why });
    return {
      ...node,
      children: [
        ...node.children,
        added("ssl_certificate", [cert.path], node.file, cert.line, why),
        added("ssl_certificate_key", [key.path], node.file, key.line, why),
      ],
    };
  }
  const name = node.children
    .filter((d) => d.name === "server_name")
    .flatMap((d) => d.args.map(concreteName))
    .find((n): n is string => n !== null);
  const live = path.posix.join("/etc/letsencrypt/live", name ?? "app.test");
  const child = node.children.find((c) => c.line > node.line && !c.added);
  const indent = child ? indentOf(lines[child.line - 1] ?? "") : `${indentOf(lines[node.line - 1] ?? "")}    `;
  const why = `listen … ssl with no certificate: certbot adds these lines when it gets one; the run's test certificate is mounted at ${live}/`;
  edits.push({
    at: { file: node.file, line: end },
    insertBefore: [
      `${indent}ssl_certificate ${live}/fullchain.pem; # managed by Certbot`,
      `${indent}ssl_certificate_key ${live}/privkey.pem; # managed by Certbot`,
    ].join("\n"),
    why,
  });
  return {
    ...node,
    children: [
      ...node.children,
      added("ssl_certificate", [`${live}/fullchain.pem`], node.file, end, why),
      added("ssl_certificate_key", [`${live}/privkey.pem`], node.file, end, why),
    ],
  };
}
