import { readFileSync } from "node:fs";
import path from "node:path";

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
  /** The port the harness publishes: 443 with TLS, or 80 for a plain-http config. */
  httpsPort: 443,
  httpPort: 80,
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

/** One nginx statement: its words, and whether it ends with `;` or opens a block with `{`. */
interface Statement {
  line: number;
  words: string[];
  opens: boolean;
  /** Names of the enclosing blocks, outermost first: ["http", "server", "location"]. */
  within: string[];
}

/** A small tokenizer for nginx syntax: quotes, comments, `;`, `{`, `}`. Enough to find directives and blocks. */
function statements(source: string): Statement[] {
  const out: Statement[] = [];
  const stack: string[] = [];
  let words: string[] = [];
  let word = "";
  let line = 1;
  let startLine = 1;
  let quote: string | null = null;
  const endWord = () => {
    if (word) {
      if (words.length === 0) startLine = line;
      words.push(word);
      word = "";
    }
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === "\n") line++;
      if (c === quote && source[i - 1] !== "\\") quote = null;
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      if (!word && words.length === 0) startLine = line;
      quote = c;
      continue;
    }
    if (c === "#") {
      while (i + 1 < source.length && source[i + 1] !== "\n") i++;
      continue;
    }
    if (/\s/.test(c)) {
      endWord();
      if (c === "\n") line++;
      continue;
    }
    if (c === ";" || c === "{") {
      endWord();
      if (words.length) out.push({ line: startLine, words, opens: c === "{", within: [...stack] });
      if (c === "{") stack.push(words[0] ?? "");
      words = [];
      continue;
    }
    if (c === "}") {
      endWord();
      stack.pop();
      words = [];
      continue;
    }
    word += c;
  }
  return out;
}

function portOf(address: string): number | null {
  if (address.startsWith("unix:")) return null;
  const m = /(?:^|:)(\d+)$/.exec(address);
  if (m) return Number(m[1]);
  // `listen 127.0.0.1;` or `listen app.test;` means port 80.
  return 80;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|0\.0\.0\.0)$/;

/** The path as the user knows it: relative inside the working directory, absolute outside it. */
export function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}

/**
 * Reads what the harness needs to know from a config, or throws what breaks the contract with file:line and
 * what to write instead. Static and instant: `nginx -t` runs after this and catches everything else.
 */
export function readConfigShape(file: string): ConfigShape {
  const shown = shownPath(file);
  const all = statements(readFileSync(file, "utf8"));
  const at = (st: Statement) => `${shown}:${st.line}`;
  const problems: string[] = [];

  const whole = all.some((st) => st.opens && st.words[0] === "http" && st.within.length === 0);
  const listens = all
    .filter((st) => st.words[0] === "listen" && st.words.length > 1)
    .map((st) => ({ st, port: portOf(st.words[1]!), ssl: st.words.slice(2).includes("ssl") }));
  const https = listens.filter((l) => l.port === CONTRACT.httpsPort);
  const http = listens.filter((l) => l.port === CONTRACT.httpPort);
  let scheme: ConfigShape["scheme"] = "https";
  if (https.length > 0) {
    for (const l of https.filter((x) => !x.ssl))
      problems.push(
        `${at(l.st)}: \`listen 443\` without \`ssl\`: the browser speaks TLS to port 443. Write \`listen 443 ssl;\`.`,
      );
  } else if (http.length > 0) {
    scheme = "http";
  } else {
    const seen = listens.length
      ? `it listens on ${listens.map((l) => `${l.port ?? "a unix socket"} (${at(l.st)})`).join(", ")}`
      : "it has no `listen` directive";
    problems.push(
      `${shown}: ${seen}. The harness publishes port ${CONTRACT.httpsPort} (TLS) or ${CONTRACT.httpPort} (plain http) of the proxy container: write \`listen 443 ssl;\` with the certificate at ${CONTRACT.certificate}, or \`listen 80;\`.`,
    );
  }

  for (const st of all.filter((x) => x.words[0] === "ssl_certificate" || x.words[0] === "ssl_certificate_key")) {
    const want = st.words[0] === "ssl_certificate" ? CONTRACT.certificate : CONTRACT.certificateKey;
    if (st.words[1] !== want)
      problems.push(
        `${at(st)}: ${st.words[0]} ${st.words[1] ?? ""}: the harness puts its test certificate (for ${CONTRACT.serverNames.join(", ")}) at ${want}. Write \`${st.words[0]} ${want};\`.`,
      );
  }

  // Hosts the config proxies to: proxy_pass targets, and `server` lines inside upstream {} blocks.
  const upstreamNames = new Set(all.filter((st) => st.opens && st.words[0] === "upstream").map((st) => st.words[1]));
  const targets: Array<{ st: Statement; host: string; port: number | null }> = [];
  for (const st of all) {
    if (!st.opens && st.words[0] === "server" && st.within.at(-1) === "upstream" && st.words[1]) {
      const [host, port] = st.words[1].split(":");
      targets.push({ st, host: host!, port: port ? Number(port) : 80 });
    }
    const pass = st.words[0] === "proxy_pass" ? /^(https?):\/\/([^/:$]+)(?::(\d+))?/.exec(st.words[1] ?? "") : null;
    if (pass && !upstreamNames.has(pass[2]!))
      targets.push({ st, host: pass[2]!, port: pass[3] ? Number(pass[3]) : pass[1] === "https" ? 443 : 80 });
  }
  for (const t of targets) {
    const known = CONTRACT.upstreams.find((u) => u.host === t.host);
    const hostPort = `${t.host}${t.port !== null ? `:${t.port}` : ""}`;
    if (LOOPBACK.test(t.host)) {
      problems.push(
        `${at(t.st)}: proxies to \`${hostPort}\`: inside the proxy's container that is the proxy itself. The app is \`app:80\` on the harness's network: write \`proxy_pass http://app;\` (or \`server app:80;\` in an upstream block).`,
      );
    } else if (!known) {
      problems.push(
        `${at(t.st)}: proxies to \`${hostPort}\`, which does not exist on the harness's network. The app is \`app:80\` (proxy_pass http://app;), the OAuth provider \`idp.test:9443\`. Point it there, or keep your upstream's name with \`upstream ${t.host} { server app:80; }\`.`,
      );
    } else if (t.port !== null && t.port !== known.port) {
      problems.push(
        `${at(t.st)}: proxies to \`${hostPort}\`, but ${known.what.split(" (")[0]} listens on ${known.port}. Write \`${t.host}:${known.port}\`.`,
      );
    }
  }

  if (problems.length > 0) {
    throw new ProxyContractError(
      `${shown} does not fit the harness's contract for a proxy config (README: "Contract for a proxy config"):\n- ${problems.join("\n- ")}`,
    );
  }
  return { scheme, target: whole ? CONTRACT.mainFile : CONTRACT.siteFile };
}
