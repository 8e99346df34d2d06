import { readFileSync } from "node:fs";
import path from "node:path";
import { at, findAll, walk, type ConfigNode } from "../config-tree";
import { nginxListens } from "./listens";
import { parseNginx } from "./parse";

/**
 * What the harness gives a proxy config and expects of it. The README's "Contract for a proxy config"
 * section says the same in prose; a unit test keeps the two in step.
 */
export const CONTRACT = {
  /** Upstreams on the stack's Docker network: the app (plain http) and the mock OAuth provider (https). */
  upstreams: [
    { host: "app", port: 80, what: "the fixture app (plain http): proxy_pass http://app;" },
    {
      host: "idp.test",
      port: 9443,
      what: "the mock OAuth provider (https); the browser reaches it directly, a config need not",
    },
  ],
  certificate: "/etc/proxylab/tls/server.crt",
  certificateKey: "/etc/proxylab/tls/server.key",
  /** Server names the test certificate covers, all resolved to loopback in the browser. */
  serverNames: ["app.test", "www.app.test", "api.app.test"],
  /** A file with server {} blocks goes here (Debian's nginx.conf includes it inside http {}). */
  siteFile: "/etc/nginx/sites-enabled/default",
  /** A whole nginx.conf (one with its own http {} block) replaces the stock one. */
  mainFile: "/etc/nginx/nginx.conf",
} as const;

export class ProxyContractError extends Error {
  override name = "ProxyContractError";
}

export interface ConfigShape {
  scheme: "http" | "https";
  /** Where the file goes in the proxy container. */
  target: string;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|0\.0\.0\.0)$/;

/** The path as the user knows it: relative inside the working directory, absolute outside it. */
export function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}

/**
 * Reads what the harness needs to know from a config, or throws what breaks the contract with file:line and
 * what to write instead. Static and instant: `nginx -t` runs after this and catches everything else. Every
 * port the config listens on is published as it is; the browser enters through the TLS one if there is one.
 */
export function readConfigShape(file: string): ConfigShape {
  const shown = shownPath(file);
  const tree = parseNginx(readFileSync(file, "utf8"), shown);
  const problems: string[] = [];

  const whole = tree.some((d) => d.name === "http" && d.children);
  const listens = nginxListens(tree);
  if (listens.length === 0) {
    problems.push(
      `${shown}: it has no server {} block, so it listens nowhere: the browser has nothing to reach. Write a server with \`listen 443 ssl;\` (or \`listen 80;\`).`,
    );
  }

  for (const d of findAll(tree, "ssl_certificate", "ssl_certificate_key")) {
    const want = d.name === "ssl_certificate" ? CONTRACT.certificate : CONTRACT.certificateKey;
    if (d.args[0] !== want)
      problems.push(
        `${at(d)}: ${d.name} ${d.args[0] ?? ""}: the harness puts its test certificate (for ${CONTRACT.serverNames.join(", ")}) at ${want}. Write \`${d.name} ${want};\`.`,
      );
  }

  // Hosts the config proxies to: proxy_pass targets, and `server` lines inside upstream {} blocks.
  const upstreamNames = new Set(findAll(tree, "upstream").map((u) => u.args[0]));
  const targets: Array<{ d: ConfigNode; host: string; port: number | null }> = [];
  for (const { node: d, within } of walk(tree)) {
    if (!d.children && d.name === "server" && within.at(-1)?.name === "upstream" && d.args[0]) {
      const [host, port] = d.args[0].split(":");
      targets.push({ d, host: host!, port: port ? Number(port) : 80 });
    }
    const pass = d.name === "proxy_pass" ? /^(https?):\/\/([^/:$]+)(?::(\d+))?/.exec(d.args[0] ?? "") : null;
    if (pass && !upstreamNames.has(pass[2]!))
      targets.push({ d, host: pass[2]!, port: pass[3] ? Number(pass[3]) : pass[1] === "https" ? 443 : 80 });
  }
  for (const t of targets) {
    const known = CONTRACT.upstreams.find((u) => u.host === t.host);
    const hostPort = `${t.host}${t.port !== null ? `:${t.port}` : ""}`;
    if (LOOPBACK.test(t.host)) {
      problems.push(
        `${at(t.d)}: proxies to \`${hostPort}\`: inside the proxy's container that is the proxy itself. The app is \`app:80\` on the harness's network: write \`proxy_pass http://app;\` (or \`server app:80;\` in an upstream block).`,
      );
    } else if (!known) {
      problems.push(
        `${at(t.d)}: proxies to \`${hostPort}\`, which does not exist on the harness's network. The app is \`app:80\` (proxy_pass http://app;), the OAuth provider \`idp.test:9443\`. Point it there, or keep your upstream's name with \`upstream ${t.host} { server app:80; }\`.`,
      );
    } else if (t.port !== null && t.port !== known.port) {
      problems.push(
        `${at(t.d)}: proxies to \`${hostPort}\`, but ${known.what.split(" (")[0]} listens on ${known.port}. Write \`${t.host}:${known.port}\`.`,
      );
    }
  }

  if (problems.length > 0) {
    throw new ProxyContractError(
      `${shown} does not fit the harness's contract for a proxy config (README: "Contract for a proxy config"):\n- ${problems.join("\n- ")}`,
    );
  }
  return {
    scheme: listens.some((l) => l.tls) ? "https" : "http",
    target: whole ? CONTRACT.mainFile : CONTRACT.siteFile,
  };
}
