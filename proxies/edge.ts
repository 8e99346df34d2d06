import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Listen } from "./config-tree";
import type { ProxyKindName } from "./kinds";

/**
 * What stands in front of a config: the stock TLS edge (`--behind tls`), or the user's own first hop
 * (`--config edge.cfg --config inner.conf`). Either way the browser meets the edge, and the edge's upstream names
 * resolve to the config under test.
 */
export type EdgeSource =
  | { readonly stock: StockEdge }
  | { readonly config: string; readonly shown: string; readonly proxy?: ProxyKindName }
  /** A registry variant's own edge: a file of its folder (`edge.conf`), the first hop of a chain. */
  | { readonly file: string };

/** The stock edge's settings: a cloud load balancer's defaults (docs/edge.md), one number the user may change. */
export interface StockEdge {
  /** The idle timeout on both sides, WebSocket tunnels included: an AWS ALB's default is 60 s. */
  readonly idleS: number;
}

export const STOCK_EDGE: StockEdge = { idleS: 60 };

/** The name the stock edge forwards to: the config under test answers to it on the stack's network. */
export const EDGE_UPSTREAM = "inner";

/** `--behind tls` or `--behind tls:idle=100`. */
export function parseBehind(text: string): StockEdge {
  const m = /^tls(?::idle=(\d+))?$/.exec(text.trim());
  const idleS = m?.[1] !== undefined ? Number(m[1]) : STOCK_EDGE.idleS;
  if (!m || idleS < 1 || idleS > 86_400)
    throw new Error(
      `--behind ${text}: write --behind tls (a TLS-terminating load balancer with a cloud's defaults: HTTP/2 to the browser, HTTP/1.1 to your config, X-Forwarded-Proto/-For/-Port, a 60 s idle timeout), or tls:idle=<seconds> for another idle timeout.`,
    );
  return { idleS };
}

/** Where the edge sends requests: the config's plain-http port (80 first), else its TLS port (443 first). */
export function edgeTarget(listens: readonly Pick<Listen, "port" | "tls">[]): { port: number; tls: boolean } | null {
  const first = (tls: boolean, preferred: number) =>
    [...listens.filter((l) => l.tls === tls)].sort(
      (a, b) => Number(b.port === preferred) - Number(a.port === preferred),
    )[0];
  const plain = first(false, 80);
  if (plain) return { port: plain.port, tls: false };
  const tls = first(true, 443);
  return tls ? { port: tls.port, tls: true } : null;
}

/**
 * The stock edge as an HAProxy config (bookworm's HAProxy 2.6, the image the matrix's HAProxy variants run): an
 * AWS Application Load Balancer's documented defaults, each cited in docs/edge.md.
 */
export function stockEdgeConfig(edge: StockEdge, target: { port: number; tls: boolean }): string {
  return `# The stock TLS edge of \`--behind tls\`: an AWS Application Load Balancer's defaults (docs/edge.md).
global
    log stdout format raw local0
    # ALB accepts request headers up to 64 KB in all.
    tune.bufsize 65536
    # ALB takes WebSockets as HTTP/1.1 upgrades only: no WebSocket over HTTP/2 (RFC 8441) is offered.
    h2-workaround-bogus-websocket-clients

defaults
    mode http
    log global
    option httplog
    # ALB streams responses as the target writes them.
    option http-no-delay
    timeout connect 10s
    # ALB's connection idle timeout (default 60 s), on both sides, WebSockets included.
    timeout client  ${edge.idleS}s
    timeout server  ${edge.idleS}s
    timeout tunnel  ${edge.idleS}s

frontend edge
    # TLS and HTTP/2 to the browser, on 443 only.
    bind :443 ssl crt /etc/proxylab/tls/server.pem alpn h2,http/1.1
    # ALB appends the client's address to X-Forwarded-For, and sets X-Forwarded-Proto and X-Forwarded-Port.
    option forwardfor
    http-request set-header X-Forwarded-Proto https
    http-request set-header X-Forwarded-Port 443
    default_backend config

backend config
    # HTTP/1.1 to the target; a TLS target's certificate is not validated (as ALB does).
    server config ${EDGE_UPSTREAM}:${target.port}${target.tls ? " ssl verify none" : ""}
`;
}

/** The stock edge's config written where the harness reads configs from (one file per distinct text). */
export function stockEdgeFile(text: string): string {
  const dir = path.join(os.tmpdir(), "proxylab-edge", createHash("sha1").update(text).digest("hex").slice(0, 12));
  const file = path.join(dir, "haproxy.cfg");
  // Named by its text: written once, by a rename, so a worker never reads a file another is still writing.
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  }
  return file;
}
