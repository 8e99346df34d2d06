import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { BugId } from "../lib/bugs";
import { readConfigShape } from "./contract";
import { PROXY_KINDS, type ProxyKindName } from "../proxies/kinds";
import { compareVersions, DEFAULT_NGINX_VERSION, EVERY_VERSION_VARIANTS, isNginxVersion, NGINX_VERSION_LIST, type NginxVersion } from "./nginx-versions";

export interface VariantEntry {
  /** The folder under nginx-variants/ and the Playwright project name. */
  readonly name: string;
  /** Which product runs the config (proxies/kinds.ts). */
  readonly proxy: ProxyKindName;
  /** The scheme the browser uses; the config listens on 80 (http) or 443 (https) inside its container. */
  readonly scheme: "http" | "https";
  /** What is wrong with this config, in one line (the config's header comment says it at length). */
  readonly summary: string;
  readonly reproduces: readonly BugId[];
  /** A config outside nginx-variants/ (`npm run repro -- --config`); registry entries use <name>/default.conf. */
  readonly configFile?: string;
  /**
   * "table": each scenario must show this variant's row of scenarios/expectations.ts.
   * "healthy": every scenario must work (a user's config under repro: it has no row of its own).
   */
  readonly expects?: "table" | "healthy";
  /** Which nginx runs it (default: the pinned DEFAULT_NGINX_VERSION). */
  readonly nginxVersion?: NginxVersion;
  /** For `<variant>@<version>`: the registry variant whose folder holds the config. */
  readonly base?: string;
  /**
   * "single-origin" (default): the app's own pages and API on app.test. "split-origin": the proxy serves the
   * static front end on www.app.test and the API on api.app.test; the variant folder also holds the front
   * end's config (frontend.js) and the app's (app.env). Each topology has its own scenarios.
   */
  readonly topology?: "single-origin" | "split-origin";
}

export const VARIANTS = [
  {
    name: "http1.0-default",
    proxy: "nginx",
    scheme: "http",
    summary: "bare proxy_pass on plain http: HTTP/1.0 upstream, Host = upstream name, no X-Forwarded-*, buffering on",
    reproduces: ["B1", "B3", "B4", "B5", "B6", "B11"],
  },
  {
    name: "missing-upgrade",
    proxy: "nginx",
    scheme: "https",
    summary: "TLS and forwarded headers right, but no Upgrade/Connection headers for WebSocket (and HTTP/1.1 only)",
    reproduces: ["B5", "B6"],
  },
  {
    name: "buffering-on",
    proxy: "nginx",
    scheme: "https",
    summary: "like fixed, but proxy_buffering left on (the default)",
    reproduces: ["B11"],
  },
  {
    name: "short-read-timeout",
    proxy: "nginx",
    scheme: "https",
    summary: "fixed, but proxy_read_timeout 2s: quiet streams and idle WebSockets are cut",
    reproduces: ["B12"],
  },
  {
    name: "gzip-event-stream",
    proxy: "nginx",
    scheme: "https",
    summary: "fixed, but gzip_types text/event-stream and buffering left on: events held by gzip",
    reproduces: ["B11"],
  },
  {
    name: "fixed",
    proxy: "nginx",
    scheme: "https",
    summary: "TLS + HTTP/2, Host with port, X-Forwarded-*, WebSocket upgrade, no buffering, long read timeout",
    reproduces: [],
  },
  // Split origins (seed 002): front end on www.app.test, API on api.app.test.
  {
    name: "split-fixed",
    proxy: "nginx",
    scheme: "https",
    topology: "split-origin",
    summary: "front end and API on their own hosts, done right: URLs from the API's origin, CORS allow-list, SSE by query token",
    reproduces: [],
  },
  {
    name: "split-sockjs-relative",
    proxy: "nginx",
    scheme: "https",
    topology: "split-origin",
    summary: "the front end builds its SockJS URL relative to the page: /info goes to www",
    reproduces: ["B7"],
  },
  {
    name: "split-mixed-content",
    proxy: "nginx",
    scheme: "https",
    topology: "split-origin",
    summary: "the https front end calls its API over http://",
    reproduces: ["B8"],
  },
  {
    name: "split-mixed-content-csp",
    proxy: "nginx",
    scheme: "https",
    topology: "split-origin",
    summary: "the same http:// calls, with Content-Security-Policy: upgrade-insecure-requests on the page",
    reproduces: ["B8"],
  },
  {
    name: "split-info-redirect",
    proxy: "nginx",
    scheme: "https",
    topology: "split-origin",
    summary: "the app's auth filter redirects SockJS's /info to a login page without CORS headers",
    reproduces: ["B9"],
  },
  {
    name: "split-sse-header-auth",
    proxy: "nginx",
    scheme: "https",
    topology: "split-origin",
    summary: "the event stream wants an Authorization header, which EventSource cannot send",
    reproduces: ["B10"],
  },
  // Other proxies, from bookworm's packages (proxy-variants/<name>/). Their rows in the table are measured.
  {
    name: "apache-naive",
    proxy: "apache",
    scheme: "https",
    summary: "ProxyPass + ProxyPassReverse only: Host is the upstream's, no X-Forwarded-Proto, no WebSocket upgrade",
    reproduces: ["B1", "B6"],
  },
  {
    name: "apache-fixed",
    proxy: "apache",
    scheme: "https",
    summary: "h2, ProxyPreserveHost, X-Forwarded-Proto, upgrade=websocket, long ProxyTimeout",
    reproduces: [],
  },
  {
    name: "apache-short-timeout",
    proxy: "apache",
    scheme: "https",
    summary: "apache-fixed, but ProxyTimeout 2: quiet streams are cut",
    reproduces: ["B12"],
  },
  {
    name: "haproxy-naive",
    proxy: "haproxy",
    scheme: "https",
    summary: "TLS frontend + backend only: no forwarded headers, no timeout tunnel, no http-no-delay, HTTP/1.1",
    reproduces: ["B1", "B5"],
  },
  {
    name: "haproxy-fixed",
    proxy: "haproxy",
    scheme: "https",
    summary: "alpn h2, forwardfor + X-Forwarded-Proto, timeout tunnel, http-no-delay",
    reproduces: [],
  },
  {
    name: "haproxy-short-timeout",
    proxy: "haproxy",
    scheme: "https",
    summary: "haproxy-fixed, but timeout client/server 2s and no timeout tunnel: quiet streams are cut",
    reproduces: ["B12"],
  },
  {
    name: "caddy-default",
    proxy: "caddy",
    scheme: "https",
    summary: "reverse_proxy with its defaults (and the harness's certificate)",
    reproduces: [],
  },
  {
    name: "caddy-encode-gzip",
    proxy: "caddy",
    scheme: "https",
    // Measured: `encode` flushes each event of a text/event-stream (no B11), but holds a quiet stream's headers
    // until its first write (the app's opening comment opens it at once).
    summary: "caddy-default plus `encode gzip`, as many Caddyfiles have",
    reproduces: [],
  },
] as const satisfies readonly VariantEntry[];

export type Variant = (typeof VARIANTS)[number];
export type VariantName = Variant["name"];
/** Variants held to their own rows in scenarios/expectations.ts (the others are judged healthy-or-diagnosed). */
export type TableVariantName = Exclude<Variant, { expects: "healthy" } | { topology: "split-origin" }>["name"];
export type SplitTableVariantName = Extract<Exclude<Variant, { expects: "healthy" }>, { topology: "split-origin" }>["name"];

export const VARIANT_NAMES: readonly VariantName[] = VARIANTS.map((v) => v.name);

export const VARIANTS_DIR = __dirname;
/** Variants of the other proxies: proxy-variants/<name>/<the kind's file name>. */
export const OTHER_PROXY_VARIANTS_DIR = path.join(__dirname, "..", "proxy-variants");

export function nginxVersionOf(variant: VariantEntry): NginxVersion {
  return variant.nginxVersion ?? DEFAULT_NGINX_VERSION;
}

/**
 * A registry variant's config for its nginx version: `default.conf`, or the newest `default.since-<v>.conf`
 * whose <v> is not above the version. Why more than one file: a directive may change between versions
 * (`listen ... http2` is deprecated from 1.25.1, and `http2 on;` is unknown before it), and every variant
 * must load without a warning on every version it runs on.
 */
export function configPath(variant: VariantEntry): string {
  if (variant.configFile) return variant.configFile;
  if (variant.proxy !== "nginx") return path.join(OTHER_PROXY_VARIANTS_DIR, variant.base ?? variant.name, PROXY_KINDS[variant.proxy].configName);
  const folder = path.join(VARIANTS_DIR, variant.base ?? variant.name);
  const version = nginxVersionOf(variant);
  const since = (existsSync(folder) ? readdirSync(folder) : [])
    .map((f) => /^default\.since-([\d.]+)\.conf$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined && compareVersions(v, version) <= 0)
    .sort(compareVersions)
    .pop();
  return path.join(folder, since ? `default.since-${since}.conf` : "default.conf");
}

/** `fixed` on the pinned version, `fixed@1.26` on another. */
export function onVersion(variant: Variant, version: NginxVersion): VariantEntry {
  if (version === DEFAULT_NGINX_VERSION) return variant;
  return { ...variant, name: `${variant.name}@${version}`, base: variant.name, nginxVersion: version };
}

/** Docker names allow no '@': `fixed@1.26` names its containers `...-fixed-v1.26`. */
export function dockerSafeName(name: string): string {
  return name.replace(/@/g, "-v");
}

/**
 * The default matrix: every variant on the pinned version, and the card's four on every other version too,
 * each version next to the variant's pinned column so the report shows them side by side.
 */
export function defaultProjects(): VariantEntry[] {
  const others = NGINX_VERSION_LIST.filter((v) => v !== DEFAULT_NGINX_VERSION);
  return VARIANTS.flatMap((v) => [v, ...((EVERY_VERSION_VARIANTS as readonly string[]).includes(v.name) ? others.map((version) => onVersion(v, version)) : [])]);
}

/** The environment `npm run repro` hands the Playwright run: a user's config becomes the one project. */
export const USER_CONFIG_ENV = "PROXYLAB_USER_CONFIG";
export const USER_VARIANT_NAME_ENV = "PROXYLAB_USER_VARIANT_NAME";
export const USER_NGINX_VERSION_ENV = "PROXYLAB_NGINX_VERSION";

/** The user's config as a variant, or undefined when none is given. Throws if it breaks the contract. */
export function userVariant(env: NodeJS.ProcessEnv = process.env): VariantEntry | undefined {
  const file = env[USER_CONFIG_ENV];
  if (!file) return undefined;
  const abs = path.resolve(file);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new Error(`${USER_CONFIG_ENV}=${file}: no such file. Give the path of your nginx config.`);
  const name = env[USER_VARIANT_NAME_ENV] || path.basename(abs).replace(/\.conf$/, "") || "my-config";
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`Variant name "${name}" must be letters, digits, '.', '_' or '-' (it names containers and report columns).`);
  const version = env[USER_NGINX_VERSION_ENV] || DEFAULT_NGINX_VERSION;
  if (!isNginxVersion(version)) throw new Error(`${USER_NGINX_VERSION_ENV}=${version}: not a version the harness builds. Use one of: ${NGINX_VERSION_LIST.join(", ")}.`);
  return { name, proxy: "nginx", scheme: readConfigShape(abs).scheme, summary: `your config: ${abs}`, reproduces: [], configFile: abs, expects: "healthy", nginxVersion: version };
}

/** The Playwright projects of a run: a user's config alone under repro, else the registry (or PROXY_VARIANTS). */
export function projectVariants(env: NodeJS.ProcessEnv = process.env): VariantEntry[] {
  const user = userVariant(env);
  return user ? [user] : selectVariants(env.PROXY_VARIANTS);
}

export function containerPort(variant: VariantEntry): number {
  return variant.scheme === "https" ? 443 : 80;
}

export function isVariantName(name: string): name is VariantName {
  return (VARIANT_NAMES as readonly string[]).includes(name);
}

const projectNamesHint = () => `Use one of: ${VARIANT_NAMES.join(", ")}, or <variant>@<version> with a version of ${NGINX_VERSION_LIST.join(", ")} (e.g. fixed@1.26).`;

/** `fixed` or `fixed@1.26`, or undefined when the name is neither. */
function registryProject(name: string): VariantEntry | undefined {
  const [variant, version, ...rest] = name.split("@");
  const found = VARIANTS.find((v) => v.name === variant);
  if (!found || rest.length > 0) return undefined;
  if (version === undefined) return found;
  return isNginxVersion(version) ? onVersion(found, version) : undefined;
}

export function getVariant(name: string): VariantEntry {
  const user = userVariant();
  if (user?.name === name) return user;
  const found = registryProject(name);
  if (!found) throw new Error(`Unknown variant: ${name}. ${projectNamesHint()}`);
  return found;
}

/** `PROXY_VARIANTS=a,b@1.26` picks a subset; unset or empty means the default matrix. An unknown name fails at once. */
export function selectVariants(filter: string | undefined): VariantEntry[] {
  const names = (filter ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) return defaultProjects();
  const unknown = names.filter((n) => registryProject(n) === undefined);
  if (unknown.length > 0) {
    throw new Error(`Unknown variant${unknown.length > 1 ? "s" : ""} in PROXY_VARIANTS: ${unknown.join(", ")}. ${projectNamesHint()}`);
  }
  return names.map((n) => registryProject(n)!);
}

export function topologyOf(variant: VariantEntry): "single-origin" | "split-origin" {
  return variant.topology ?? "single-origin";
}

/** A split-origin variant's other files: the front end's config and the app's environment. */
export function splitFiles(variant: VariantEntry): { frontend: string; appEnv: string } {
  const folder = path.dirname(configPath(variant));
  return { frontend: path.join(folder, "frontend.js"), appEnv: path.join(folder, "app.env") };
}
