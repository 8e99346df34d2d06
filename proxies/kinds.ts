import { readConfigShape } from "../nginx-variants/contract";

export type ProxyKindName = "nginx" | "apache" | "haproxy" | "caddy";

/**
 * What the harness needs to know to run one kind of proxy: where a config goes, how the product itself checks
 * it, how it says its version. Scenarios and the expectations table never see this: a stack is a URL.
 */
export interface ProxyKind {
  readonly name: ProxyKindName;
  /** The in-container path the variant's file is copied to. */
  target(configFile: string): string;
  /** The product's own checker, run on the same files in a throwaway container: exit 0 means valid. */
  checkCommand(target: string): string[];
  /** What the checker prints for a config that loads with a warning (a registry variant must have none). */
  readonly warning: RegExp;
  /** Warnings about the harness's own setup, not the config (e.g. a test certificate without OCSP). */
  readonly benign?: RegExp;
  readonly versionCommand: string[];
  /** Turns the version command's output into "nginx/1.22.1", "Apache/2.4.62", "HAProxy/2.6.12", "Caddy/2.6.2". */
  version(output: string): string;
  /** The file name a variant folder holds for this kind. */
  readonly configName: string;
}

export const PROXY_KINDS: Readonly<Record<ProxyKindName, ProxyKind>> = {
  nginx: {
    name: "nginx",
    // A file of server {} blocks, or a whole nginx.conf; the contract check says which (and rejects the rest).
    target: (file) => readConfigShape(file).target,
    checkCommand: () => ["nginx", "-t"],
    warning: /\[warn\]/,
    versionCommand: ["nginx", "-v"],
    version: (out) => /nginx\/[\d.]+/.exec(out)?.[0] ?? "nginx",
    configName: "default.conf",
  },
  apache: {
    name: "apache",
    // Debian's apache2.conf includes sites-enabled/*.conf; the image enables the proxy, ssl and http2 modules.
    target: () => "/etc/apache2/sites-enabled/proxylab.conf",
    checkCommand: () => ["apache2ctl", "-t"],
    warning: /AH\d+: Warning|\[warn\]/i,
    versionCommand: ["apache2ctl", "-v"],
    version: (out) => /Apache\/[\d.]+/.exec(out)?.[0] ?? "Apache",
    configName: "site.conf",
  },
  haproxy: {
    name: "haproxy",
    target: () => "/etc/haproxy/haproxy.cfg",
    checkCommand: (target) => ["haproxy", "-c", "-f", target],
    warning: /\[WARNING\]/,
    versionCommand: ["haproxy", "-v"],
    version: (out) => `HAProxy/${/version ([\d.]+)/i.exec(out)?.[1] ?? "?"}`,
    configName: "haproxy.cfg",
  },
  caddy: {
    name: "caddy",
    target: () => "/etc/caddy/Caddyfile",
    checkCommand: (target) => ["caddy", "validate", "--config", target, "--adapter", "caddyfile"],
    // Caddy logs JSON; a warning is a "warn" level entry (e.g. an unformatted Caddyfile).
    warning: /"level":"warn"/,
    // The test certificate names no OCSP responder, and explicit `tls` with `auto_https off` is the point.
    benign: /"msg":"stapling OCSP"|"msg":"automatic HTTPS is completely disabled for server"/,
    versionCommand: ["caddy", "version"],
    // `caddy version` prints "v2.6.2 h1:…" from upstream builds and "2.6.2" from Debian's.
    version: (out) => `Caddy/${/v?(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? "?"}`,
    configName: "Caddyfile",
  },
};
