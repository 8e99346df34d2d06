import type { BugId } from "../lib/bugs";
import { STOCK_EDGE, type EdgeSource } from "./edge";
import type { ProxyKindName } from "./kinds";

/**
 * The registry: every variant the matrix runs, as data. A variant is a config folder (nginx-variants/<name>/ for
 * nginx, proxy-variants/<name>/ for the others) and this entry; proxies/projects.ts turns entries into
 * Playwright projects, and each scenario's rows (scenarios/<feature>.expect.ts) say what it must show.
 */
export interface VariantEntry {
  /** The config folder's name, the Playwright project name and the report's column. */
  readonly name: string;
  /** Which product runs the config (proxies/kinds.ts). */
  readonly proxy: ProxyKindName;
  /** What is wrong with this config, in one line (the config's header comment says it at length). */
  readonly summary: string;
  readonly reproduces: readonly BugId[];
  /**
   * "single-origin" (default): the app's own pages and API on app.test. "split-origin": the proxy serves the
   * static front end on www.app.test and the API on api.app.test; the variant folder also holds the front
   * end's config (frontend.js) and the app's (app.env). Each topology has its own scenarios.
   */
  readonly topology?: "single-origin" | "split-origin" | "sub-path" | "replicas" | "behind-edge";
  /**
   * Sub-path only: where the config publishes the app (`/app`, no trailing slash). The scenarios open the app's
   * pages under it, as `npm run repro -- --path` does for a user's config.
   */
  readonly prefix?: string;
  /**
   * Ports the config listens on that the browser meets on another one, as `docker -p 443:8443` or a Kubernetes
   * Service publishes them: `{ 8443: 443 }` (listen port: public port). Any other port is published as it is.
   */
  readonly published?: Readonly<Record<number, number>>;
  /**
   * Replicas topology only: how many app containers run, as `app-1`, `app-2`… on the stack's network (each with
   * its own debug port), for a config that balances over them (B20).
   */
  readonly replicas?: number;
  /**
   * What stands in front of the config (docs/edge.md): the stock TLS edge (a cloud load balancer's defaults), or
   * another config. The browser meets the edge; the edge's upstream names resolve to this config's proxy.
   */
  readonly edge?: EdgeSource;
}

export const VARIANTS = [
  {
    name: "http1.0-default",
    proxy: "nginx",
    summary: "bare proxy_pass on plain http: HTTP/1.0 upstream, Host = upstream name, no X-Forwarded-*, buffering on",
    reproduces: ["B1", "B3", "B4", "B5", "B6", "B11", "B13", "B14", "B19"],
  },
  {
    name: "missing-upgrade",
    proxy: "nginx",
    summary: "TLS and forwarded headers right, but no Upgrade/Connection headers for WebSocket (and HTTP/1.1 only)",
    reproduces: ["B5", "B6", "B14", "B19"],
  },
  {
    name: "buffering-on",
    proxy: "nginx",
    summary: "like fixed, but proxy_buffering left on (the default)",
    reproduces: ["B11", "B14", "B19"],
  },
  {
    name: "buffering-on-http1",
    proxy: "nginx",
    summary: "buffering-on, over HTTP/1.1 to the browser: a quiet stream opens only with its first event",
    reproduces: ["B5", "B11", "B14", "B19"],
  },
  {
    name: "short-read-timeout",
    proxy: "nginx",
    summary: "fixed, but proxy_read_timeout 2s: quiet streams and idle WebSockets are cut",
    reproduces: ["B12", "B14", "B19"],
  },
  {
    name: "gzip-event-stream",
    proxy: "nginx",
    summary: "fixed, but gzip_types text/event-stream and buffering left on: events held by gzip",
    reproduces: ["B11", "B14", "B19"],
  },
  {
    name: "fixed",
    proxy: "nginx",
    summary: "TLS + HTTP/2, Host with port, X-Forwarded-*, WebSocket upgrade, no buffering, long read timeout",
    reproduces: [],
  },
  {
    name: "header-inheritance",
    proxy: "nginx",
    summary: "fixed's headers at server level; a location adding Upgrade/Connection inherits none of them",
    reproduces: ["B1", "B14", "B15", "B16", "B19"],
  },
  {
    name: "port-8443-host",
    proxy: "nginx",
    summary: "public port 8443 and `Host $host`, which drops it: the app builds its URLs without the port",
    reproduces: ["B1", "B14", "B15", "B18", "B19"],
  },
  {
    name: "port-8443-http-host",
    proxy: "nginx",
    summary: "public port 8443 and `Host $http_host`, which keeps it",
    reproduces: ["B14", "B19"],
  },
  // Split origins (docs/field-reports.md, B7-B10): front end on www.app.test, API on api.app.test.
  {
    name: "split-fixed",
    proxy: "nginx",
    topology: "split-origin",
    summary:
      "front end and API on their own hosts, done right: URLs from the API's origin, CORS allow-list, SSE by query token",
    reproduces: [],
  },
  {
    name: "split-sockjs-relative",
    proxy: "nginx",
    topology: "split-origin",
    summary: "the front end builds its SockJS URL relative to the page: /info goes to www",
    reproduces: ["B7"],
  },
  {
    name: "split-mixed-content",
    proxy: "nginx",
    topology: "split-origin",
    summary: "the https front end calls its API over http://",
    reproduces: ["B8"],
  },
  {
    name: "split-mixed-content-csp",
    proxy: "nginx",
    topology: "split-origin",
    summary: "the same http:// calls, with Content-Security-Policy: upgrade-insecure-requests on the page",
    reproduces: ["B8"],
  },
  {
    name: "split-info-redirect",
    proxy: "nginx",
    topology: "split-origin",
    summary: "the app's auth filter redirects SockJS's /info to a login page without CORS headers",
    reproduces: ["B9"],
  },
  {
    name: "split-upload-limit",
    proxy: "nginx",
    topology: "split-origin",
    summary: "the API's server keeps nginx's 1m upload limit: a 2 MiB upload gets a 413 without CORS headers",
    reproduces: ["B19"],
  },
  {
    name: "split-sse-header-auth",
    proxy: "nginx",
    topology: "split-origin",
    summary: "the event stream wants an Authorization header, which EventSource cannot send",
    reproduces: ["B10"],
  },
  // The app under a sub-path (docs/field-reports.md, B17): https://app.test/app/.
  {
    name: "sub-path-stripped",
    proxy: "nginx",
    topology: "sub-path",
    prefix: "/app",
    summary: "`location /app/ { proxy_pass http://app/; }` strips the prefix and no X-Forwarded-Prefix says so",
    reproduces: ["B17"],
  },
  {
    name: "sub-path-prefix-header",
    proxy: "nginx",
    topology: "sub-path",
    prefix: "/app",
    summary: "sub-path-stripped plus `proxy_set_header X-Forwarded-Prefix /app;`",
    reproduces: [],
  },
  {
    name: "sub-path-kept",
    proxy: "nginx",
    topology: "sub-path",
    prefix: "/app",
    summary: "`location /app/ { proxy_pass http://app; }`: the prefix is kept, the app sees its base path",
    reproduces: [],
  },
  // Behind a port mapping (docs/field-reports.md, B18): nginx listens on 8443, the browser meets it on 443.
  {
    name: "sub-path-port-mapped",
    proxy: "nginx",
    topology: "sub-path",
    prefix: "/app",
    published: { 8443: 443 },
    summary: "sub-path-prefix-header on 8443 published as 443: nginx's slash redirect names :8443",
    reproduces: ["B18"],
  },
  {
    name: "sub-path-port-mapped-relative",
    proxy: "nginx",
    topology: "sub-path",
    prefix: "/app",
    published: { 8443: 443 },
    summary: "sub-path-port-mapped plus `absolute_redirect off;`: relative redirects",
    reproduces: [],
  },
  // Behind the stock TLS edge (docs/edge.md, B21-B22): a load balancer's defaults in front of a listen-80 config.
  {
    name: "edge-scheme-overwrite",
    proxy: "nginx",
    topology: "behind-edge",
    edge: { stock: STOCK_EDGE },
    summary: "fixed's lines on listen 80 behind a TLS edge: X-Forwarded-Proto $scheme says http, X-Real-IP is the edge",
    reproduces: ["B21", "B22"],
  },
  {
    name: "edge-fixed",
    proxy: "nginx",
    topology: "behind-edge",
    edge: { stock: STOCK_EDGE },
    summary: "edge-scheme-overwrite with X-Forwarded-Proto $http_x_forwarded_proto and set_real_ip_from the edge",
    reproduces: [],
  },
  // Two configs in a chain (docs/edge.md): the folder's edge.conf in front of its default.conf.
  {
    name: "chain-nginx-nginx",
    proxy: "nginx",
    topology: "behind-edge",
    edge: { file: "edge.conf" },
    summary:
      "nginx → nginx as Lemmy deploys it: the edge sends no X-Forwarded-Proto; the inner trusts the edge but reads X-Real-IP",
    reproduces: ["B1", "B13", "B18", "B22"],
  },
  {
    name: "chain-nginx-nginx-fixed",
    proxy: "nginx",
    topology: "behind-edge",
    edge: { file: "edge.conf" },
    summary:
      "chain-nginx-nginx with X-Forwarded-Proto $scheme at the edge and real_ip_header X-Forwarded-For behind it",
    reproduces: [],
  },
  // Other proxies, from bookworm's packages (proxy-variants/<name>/).
  {
    name: "apache-naive",
    proxy: "apache",
    summary: "ProxyPass + ProxyPassReverse only: Host is the upstream's, no X-Forwarded-Proto, no WebSocket upgrade",
    reproduces: ["B1", "B6", "B13", "B14", "B18"],
  },
  {
    name: "apache-fixed",
    proxy: "apache",
    summary: "h2, ProxyPreserveHost, X-Forwarded-Proto, upgrade=websocket, long ProxyTimeout",
    reproduces: [],
  },
  {
    name: "apache-upstream-host",
    proxy: "apache",
    summary:
      "apache-fixed without ProxyPreserveHost: Host is the upstream's name (X-Forwarded-Host has the public one)",
    reproduces: ["B14", "B15"],
  },
  {
    name: "apache-short-timeout",
    proxy: "apache",
    summary: "apache-fixed, but ProxyTimeout 2: quiet streams are cut",
    reproduces: ["B12", "B14"],
  },
  {
    name: "haproxy-naive",
    proxy: "haproxy",
    summary: "TLS frontend + backend only: no forwarded headers, no timeout tunnel, no http-no-delay, HTTP/1.1",
    reproduces: ["B1", "B5", "B13", "B14", "B18"],
  },
  {
    name: "haproxy-fixed",
    proxy: "haproxy",
    summary: "alpn h2, forwardfor + X-Forwarded-Proto, timeout tunnel, http-no-delay",
    reproduces: [],
  },
  {
    name: "haproxy-short-timeout",
    proxy: "haproxy",
    summary: "haproxy-fixed, but timeout client/server 2s and no timeout tunnel: quiet streams are cut",
    reproduces: ["B12", "B14"],
  },
  {
    name: "caddy-default",
    proxy: "caddy",
    summary: "reverse_proxy with its defaults (and the harness's certificate)",
    reproduces: [],
  },
  {
    name: "caddy-encode-gzip",
    proxy: "caddy",
    summary:
      "caddy-default plus `encode gzip`, as many Caddyfiles have: a quiet stream opens only with its first event",
    reproduces: ["B11"],
  },
  {
    name: "apache-sub-path",
    proxy: "apache",
    topology: "sub-path",
    prefix: "/app",
    summary: "apache-fixed under `ProxyPass /app/ http://app/`: the prefix is stripped and nothing says so",
    reproduces: ["B17"],
  },
  {
    name: "apache-sub-path-prefix-header",
    proxy: "apache",
    topology: "sub-path",
    prefix: "/app",
    summary: 'apache-sub-path plus `RequestHeader set X-Forwarded-Prefix "/app"`',
    reproduces: [],
  },
  {
    name: "haproxy-sub-path",
    proxy: "haproxy",
    topology: "sub-path",
    prefix: "/app",
    summary: "haproxy-fixed with a path_beg /app/ backend whose replace-path strips the prefix; nothing says so",
    reproduces: ["B17"],
  },
  {
    name: "haproxy-sub-path-prefix-header",
    proxy: "haproxy",
    topology: "sub-path",
    prefix: "/app",
    summary: "haproxy-sub-path plus `http-request set-header X-Forwarded-Prefix /app`",
    reproduces: [],
  },
  {
    name: "caddy-handle-path",
    proxy: "caddy",
    topology: "sub-path",
    prefix: "/app",
    summary: "`handle_path /app/*`: Caddy strips the prefix and sends no X-Forwarded-Prefix",
    reproduces: ["B17"],
  },
  {
    name: "caddy-handle",
    proxy: "caddy",
    topology: "sub-path",
    prefix: "/app",
    summary: "`handle /app/*`: the prefix is kept, the app sees its base path",
    reproduces: [],
  },
  // Two app replicas (docs/field-reports.md, B20): app-1 and app-2 on the stack's network, one balancer.
  {
    name: "replicas-round-robin",
    proxy: "nginx",
    topology: "replicas",
    replicas: 2,
    summary: "fixed over `upstream { server app-1; server app-2; }`: round-robin, no affinity",
    reproduces: ["B20"],
  },
  {
    name: "replicas-ip-hash",
    proxy: "nginx",
    topology: "replicas",
    replicas: 2,
    summary: "replicas-round-robin plus `ip_hash;`: one client, one replica",
    reproduces: [],
  },
  {
    name: "apache-replicas-balancer",
    proxy: "apache",
    topology: "replicas",
    replicas: 2,
    summary: "apache-fixed over a `balancer://` of two members, lbmethod=byrequests, no stickysession",
    reproduces: ["B20"],
  },
  {
    name: "apache-replicas-sticky",
    proxy: "apache",
    topology: "replicas",
    replicas: 2,
    summary: "apache-replicas-balancer plus a ROUTEID cookie and `stickysession=ROUTEID`",
    reproduces: [],
  },
  {
    name: "haproxy-replicas-round-robin",
    proxy: "haproxy",
    topology: "replicas",
    replicas: 2,
    summary: "haproxy-fixed with two servers and `balance roundrobin`, no affinity",
    reproduces: ["B20"],
  },
  {
    name: "haproxy-replicas-source",
    proxy: "haproxy",
    topology: "replicas",
    replicas: 2,
    summary: "haproxy-replicas-round-robin with `balance source`: one client address, one server",
    reproduces: [],
  },
  {
    name: "caddy-replicas-round-robin",
    proxy: "caddy",
    topology: "replicas",
    replicas: 2,
    summary: "reverse_proxy to app-1 and app-2 with `lb_policy round_robin`, no affinity",
    reproduces: ["B20"],
  },
  {
    name: "caddy-replicas-ip-hash",
    proxy: "caddy",
    topology: "replicas",
    replicas: 2,
    summary: "caddy-replicas-round-robin with `lb_policy ip_hash`",
    reproduces: [],
  },
] as const satisfies readonly VariantEntry[];

export type Variant = (typeof VARIANTS)[number];
export type VariantName = Variant["name"];
/** Variants of each topology: each has rows in its own topology's scenarios. */
export type SingleOriginVariantName = Exclude<
  Variant,
  { topology: "split-origin" | "sub-path" | "replicas" | "behind-edge" }
>["name"];
export type SplitOriginVariantName = Extract<Variant, { topology: "split-origin" }>["name"];
export type SubPathVariantName = Extract<Variant, { topology: "sub-path" }>["name"];
export type ReplicasVariantName = Extract<Variant, { topology: "replicas" }>["name"];
export type NginxVariantName = Extract<Variant, { proxy: "nginx" }>["name"];
/** Variants behind an edge (docs/edge.md): they run the scenarios of the behind-edge topology. */
export type EdgeVariantName = Extract<Variant, { topology: "behind-edge" }>["name"];

export const VARIANT_NAMES: readonly VariantName[] = VARIANTS.map((v) => v.name);
