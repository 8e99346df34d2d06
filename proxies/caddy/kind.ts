import type { ProxyKind } from "../kinds";
import { caddyListens } from "./listens";
import { parseCaddyfile } from "./parse";

export const CADDY: ProxyKind = {
  name: "caddy",
  baseDir: "/etc/caddy",
  checkCommand: ["caddy", "validate", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"],
  // Caddy logs JSON; a warning is a "warn" level entry (e.g. an unformatted Caddyfile).
  warning: /"level":"warn"/,
  // The test certificate names no OCSP responder, and explicit `tls` with `auto_https off` is the point.
  benign: /"msg":"stapling OCSP"|"msg":"automatic HTTPS is completely disabled for server"/,
  versionCommand: ["caddy", "version"],
  // `caddy version` prints "v2.6.2 h1:…" from upstream builds and "2.6.2" from Debian's.
  version: (out) => `Caddy/${/v?(\d+\.\d+\.\d+)/.exec(out)?.[1] ?? "?"}`,
  configName: "Caddyfile",
  listenHint: "give a site address (e.g. `app.example.com {`)",
  parse: parseCaddyfile,
  listens: caddyListens,
};
