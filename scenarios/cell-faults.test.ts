/**
 * Each diagnosis rule, on observations recorded in a real run of the matrix (testdata/registry-broken-cells.json:
 * every cell that was not healthy): the field report, the line at fault or the block missing a directive, and the
 * fix in the config's own syntax. One symptom with two causes is told apart by the config alone.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { Fault } from "../proxies/faults";
import { prepareConfig } from "../proxies/prepare";
import { configPath, getProject, USER_ENV, userProject } from "../proxies/projects";
import { judge } from "./judge";
import type { Observations, ScenarioName } from "./observations";

interface Recorded {
  variant: string;
  scenario: ScenarioName;
  observation: Observations[ScenarioName];
}
const RECORDED = (
  JSON.parse(readFileSync(path.join(import.meta.dirname, "testdata", "registry-broken-cells.json"), "utf8")) as {
    cells: Recorded[];
  }
).cells;
const CONFIG_SIDE = new Set(["B1", "B3", "B5", "B6", "B11", "B12", "B13", "B14", "B15", "B19"]);

function recorded(variant: string, scenario: ScenarioName): Recorded {
  const r = RECORDED.find((c) => c.variant === variant && c.scenario === scenario);
  assert.ok(r, `no recorded ${scenario} on ${variant}`);
  return r;
}

function faultsOf(variant: string, scenario: ScenarioName): { bug: string; faults: readonly Fault[] } {
  const r = recorded(variant, scenario);
  const d = judge(r.scenario, r.observation, getProject(variant)).diagnosis;
  assert.ok(d, `${scenario} on ${variant}: no diagnosis`);
  return { bug: d.bug, faults: d.faults ?? [] };
}

const placeOf = (f: Fault) => (f.where ? `${f.where.how} ${f.where.block ?? ""} ${f.where.site.quote}` : "");

const dir = mkdtempSync(path.join(os.tmpdir(), "proxylab-faults-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("every broken cell of the recorded matrix run", () => {
  it("has a cause in its config (line or missing directive) or a fix named for the app or the version", () => {
    const vague: string[] = [];
    for (const r of RECORDED) {
      const d = judge(r.scenario, r.observation, getProject(r.variant)).diagnosis;
      assert.ok(d, `${r.scenario} on ${r.variant}: no diagnosis`);
      if (!CONFIG_SIDE.has(d.bug)) continue;
      const faults = d.faults ?? [];
      if (faults.length === 0 || faults.some((f) => f.fixIn === "config" && !f.where))
        vague.push(`${r.scenario} on ${r.variant}: ${faults.map((f) => f.cause).join(" / ") || "no fault"}`);
    }
    assert.deepEqual(vague, []);
  });

  it("the fix of each cell gives a copy the harness reads again (same kind, the fix present)", () => {
    for (const r of RECORDED) {
      const project = getProject(r.variant);
      const d = judge(r.scenario, r.observation, project).diagnosis;
      if (!d?.fixDiff) continue;
      const added = d.fixDiff
        .split("\n")
        .filter((l) => l.startsWith("+") && !l.startsWith("+++"))
        .map((l) => l.slice(1).trim());
      // Rebuild the fixed file from the diff's own faults: prepareConfig must read it and show the added lines.
      const faults = d.faults ?? [];
      assert.ok(
        faults.some((f) => f.fixIn === "config"),
        `${r.scenario} on ${r.variant}: a diff without a fault`,
      );
      const original = prepareConfig(configPath(project), configPath(project), project.proxy);
      const file = path.join(dir, `${r.variant}-${r.scenario}${path.extname(configPath(project))}`);
      writeFileSync(file, applyDiffLines(original.original[0]!.text, d.fixDiff));
      const again = prepareConfig(file, file, project.proxy);
      for (const line of added) assert.ok(again.original[0]!.text.includes(line), `${file} lacks ${line}`);
    }
  });
});

describe("the rules, one case each", () => {
  it("nginx B1: no Host header → the upstream's name; added beside the effective proxy_set_header set", () => {
    const { bug, faults } = faultsOf("http1.0-default", "oauth-login");
    assert.equal(bug, "B1");
    assert.match(placeOf(faults[0]!), /^missing location \/ location \/ \{/);
    assert.deepEqual(faults[0]!.fix, ["proxy_set_header Host $host;"]);
  });

  it("B14, big headers: each side's buffer, in each proxy's syntax", () => {
    const plain = faultsOf("http1.0-default", "big-headers");
    assert.equal(plain.bug, "B14");
    assert.deepEqual(
      plain.faults.map((f) => f.fix[0]),
      ["proxy_buffer_size 32k;", "large_client_header_buffers 4 32k;"],
      "over HTTP/1.1 both sides: the location's proxy buffers, the server's header buffers",
    );
    assert.match(plain.faults[0]!.cause, /6 KB of Set-Cookie does not fit, and nginx answers 502/);
    assert.equal(plain.faults[1]!.where?.block, "server");
    const h2 = faultsOf("buffering-on", "big-headers").faults;
    assert.deepEqual(
      h2.map((f) => f.fix[0]),
      ["proxy_buffer_size 32k;"],
      "over h2 only the response side",
    );
    assert.deepEqual(faultsOf("apache-naive", "big-headers").faults[0]!.fix, ["LimitRequestFieldSize 32768"]);
    const haproxy = faultsOf("haproxy-short-timeout", "big-headers").faults[0]!;
    assert.deepEqual(haproxy.fix, ["tune.bufsize 32768"]);
    assert.equal(haproxy.where?.block, "global");
  });

  it("nginx B19: client_max_body_size missing in the server; proxy_request_buffering, seen held or not seeable", () => {
    const plain = faultsOf("http1.0-default", "upload-limit");
    assert.equal(plain.bug, "B19");
    assert.deepEqual(
      plain.faults.map((f) => f.fix[0]),
      ["client_max_body_size 50m;", "proxy_request_buffering off;", "proxy_http_version 1.1;"],
      "over HTTP/1.1 the page cannot stream a body, but the fix that brings HTTP/2 would show it held; and an HTTP/1.0 upstream reads an unknown length whole",
    );
    assert.equal(plain.faults[0]!.where?.block, "server");
    assert.match(plain.faults[0]!.cause, /\(1m by default\): a 2 MiB upload gets 413/);
    assert.match(plain.faults[1]!.cause, /over HTTP\/1\.1 the page could not show it/);
    assert.match(plain.faults[2]!.cause, /no chunked encoding/);
    const h2 = faultsOf("buffering-on", "upload-limit").faults;
    assert.deepEqual(
      h2.map((f) => f.fix[0]),
      ["client_max_body_size 50m;", "proxy_request_buffering off;"],
    );
    assert.match(h2[1]!.cause, /the app saw nothing of an upload until its end/);
    assert.match(placeOf(h2[1]!), /^missing location \/ /);
  });

  it("B15, the app refused a WebSocket's Origin: the Host line at fault, by kind; lost by inheritance stays B16", () => {
    const port = faultsOf("port-8443-host", "websocket-origin");
    assert.equal(port.bug, "B15");
    assert.equal(port.faults[0]!.bug, "B15");
    assert.match(
      port.faults[0]!.cause,
      /drops the port the browser used \(8443\).*compares the page's Origin with Host \(app\.test\)/,
    );
    assert.equal(port.faults[0]!.edits[0]!.replace, "$http_host");
    const apache = faultsOf("apache-upstream-host", "websocket-origin").faults[0]!;
    assert.equal(apache.bug, "B15");
    assert.deepEqual(apache.fix, ["ProxyPreserveHost On"]);
    assert.equal(apache.where?.how, "missing");
    const inherited = faultsOf("header-inheritance", "websocket-origin").faults[0]!;
    assert.equal(inherited.bug, "B16");
    assert.match(inherited.cause, /Host, .* never reach the app at \/ws-echo/);
    assert.equal(faultsOf("missing-upgrade", "websocket-origin").bug, "B6");
  });

  it("B13, one symptom (no session cookie), two causes by the config: plain http, or no X-Forwarded-Proto", () => {
    const plain = faultsOf("http1.0-default", "session-cookie");
    assert.equal(plain.bug, "B13");
    assert.equal(plain.faults[0]!.bug, "B13");
    assert.match(plain.faults[0]!.cause, /plain http \(listen 80;\): the app marks its session cookie Secure/);
    assert.equal(plain.faults[0]!.fix[0], "listen 443 ssl http2;");
    const apache = faultsOf("apache-naive", "session-cookie").faults[0]!;
    assert.match(apache.cause, /X-Forwarded-Proto/);
    assert.deepEqual(apache.fix, ['RequestHeader set X-Forwarded-Proto "https"']);
    const haproxy = faultsOf("haproxy-naive", "session-cookie").faults[0]!;
    assert.deepEqual(haproxy.fix, ["http-request set-header X-Forwarded-Proto https if { ssl_fc }"]);
  });

  it("nginx B16: B1's symptom, caused by a location whose own proxy_set_header drops the server's", () => {
    const { bug, faults } = faultsOf("header-inheritance", "oauth-login");
    assert.equal(bug, "B1");
    assert.equal(faults.length, 1);
    assert.equal(faults[0]!.bug, "B16");
    assert.match(placeOf(faults[0]!), /^set\s+proxy_set_header Upgrade\s+\$http_upgrade;/);
    assert.match(faults[0]!.cause, /Host, X-Real-IP, X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host never reach/);
    assert.deepEqual(faults[0]!.fix, [
      "proxy_set_header Host $http_host;",
      "proxy_set_header X-Real-IP $remote_addr;",
      "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
      "proxy_set_header X-Forwarded-Proto $scheme;",
      "proxy_set_header X-Forwarded-Host $http_host;",
    ]);
  });

  it("nginx B1: `Host $host` on port 8443 drops the port; the fix is $http_host on that line", () => {
    const { faults } = faultsOf("port-8443-host", "oauth-login");
    assert.match(placeOf(faults[0]!), /^set\s+proxy_set_header Host\s+\$host;/);
    assert.match(faults[0]!.fix[0]!, /proxy_set_header Host\s+\$http_host;/);
  });

  it("nginx B3 and B5 on plain http: TLS on 443, with http2 as the version writes it, and X-Forwarded-Proto", () => {
    assert.deepEqual(faultsOf("http1.0-default", "random-uuid").faults[0]!.fix.slice(0, 1), ["listen 443 ssl http2;"]);
    const on126 = faultsOf("http1.0-default@1.26", "sse-connection-limit").faults[0]!;
    assert.deepEqual(on126.fix.slice(0, 2), ["listen 443 ssl;", "http2 on;"]);
    assert.ok(on126.fix.includes("proxy_set_header X-Forwarded-Proto $scheme;"));
  });

  it("nginx B5 over TLS: `listen 443 ssl` gets http2, by version", () => {
    assert.deepEqual(faultsOf("missing-upgrade", "sse-connection-limit").faults[0]!.fix, ["listen 443 ssl http2;"]);
    assert.deepEqual(faultsOf("missing-upgrade@1.30", "sse-connection-limit").faults[0]!.fix, ["http2 on;"]);
  });

  it("nginx B6: Upgrade and Connection missing in the location; HTTP/1.1 too where the version defaults to 1.0", () => {
    const upgrade = faultsOf("missing-upgrade", "websocket-raw").faults[0]!;
    assert.match(placeOf(upgrade), /^missing location \//);
    assert.deepEqual(upgrade.fix, [
      "proxy_set_header Upgrade $http_upgrade;",
      'proxy_set_header Connection "upgrade";',
    ]);
    assert.equal(faultsOf("http1.0-default", "sockjs-chat").faults[0]!.fix[0], "proxy_http_version 1.1;");
    assert.notEqual(faultsOf("http1.0-default@1.30", "sockjs-chat").faults[0]!.fix[0], "proxy_http_version 1.1;");
  });

  it("nginx B11, one symptom (events batched), two causes told apart by the config: gzip, or buffering", () => {
    const gzip = recorded("gzip-event-stream", "sse-timing");
    const buffering = recorded("buffering-on-http1", "sse-timing");
    assert.equal((gzip.observation as Observations["sse-timing"]).verdict, "batched");
    assert.equal((buffering.observation as Observations["sse-timing"]).verdict, "batched");
    const byGzip = faultsOf("gzip-event-stream", "sse-timing").faults;
    const byBuffering = faultsOf("buffering-on-http1", "sse-timing").faults;
    assert.deepEqual(
      byGzip.map((f) => placeOf(f)),
      ["set  gzip_types text/event-stream;"],
    );
    assert.deepEqual(
      byBuffering.map((f) => placeOf(f)),
      ["missing location / location / {"],
    );
    assert.deepEqual(byBuffering[0]!.fix, ["proxy_buffering off;"]);
  });

  it("nginx B11, a late open on 1.22 over HTTP/2 with buffering off: the version, not the config", () => {
    const { faults } = faultsOf("fixed", "sse-open-latency");
    assert.deepEqual(
      faults.map((f) => f.fixIn),
      ["version"],
    );
  });

  it("nginx B12: proxy_read_timeout at fault, raised; a heartbeat as app advice", () => {
    const { faults } = faultsOf("short-read-timeout", "sse-idle-resume");
    assert.match(placeOf(faults[0]!), /^set\s+proxy_read_timeout 2s;/);
    assert.deepEqual(faults[0]!.fix, ["proxy_read_timeout 1h;"]);
    assert.equal(faults[1]!.fixIn, "app");
  });

  it("Apache: X-Forwarded-Proto missing in the vhost (B1); ProxyPass without upgrade=websocket (B6); ProxyTimeout (B12)", () => {
    const b1 = faultsOf("apache-naive", "oauth-login").faults;
    assert.equal(b1.length, 1);
    assert.match(placeOf(b1[0]!), /^missing VirtualHost \*:443/);
    assert.deepEqual(b1[0]!.fix, ['RequestHeader set X-Forwarded-Proto "https"']);
    assert.match(
      faultsOf("apache-naive", "websocket-raw").faults[0]!.fix[0]!,
      /ProxyPass\s+\/ http:\/\/app\/ upgrade=websocket/,
    );
    assert.deepEqual(faultsOf("apache-short-timeout", "sse-idle-resume").faults[0]!.fix, ["ProxyTimeout 3600"]);
  });

  it("HAProxy: X-Forwarded-Proto (B1), ALPN on the TLS bind (B5), timeout tunnel for a quiet WebSocket (B12)", () => {
    assert.match(
      faultsOf("haproxy-naive", "oauth-login").faults[0]!.fix[0]!,
      /X-Forwarded-Proto https if \{ ssl_fc \}/,
    );
    assert.match(
      faultsOf("haproxy-naive", "sse-connection-limit").faults[0]!.fix[0]!,
      /ssl crt \S+ alpn h2,http\/1\.1$/,
    );
    assert.deepEqual(faultsOf("haproxy-short-timeout", "sockjs-chat").faults[0]!.fix, ["timeout tunnel 1h"]);
  });

  it("Caddy: `encode gzip` holds a quiet stream's headers: the line, and a matcher that keeps it off streams", () => {
    const [f] = faultsOf("caddy-encode-gzip", "sse-open-latency").faults;
    assert.equal(f!.fixIn, "config");
    assert.match(placeOf(f!), /^set\s+encode gzip/);
    assert.deepEqual(f!.fix.slice(0, 2), [
      "@proxylab_notstream not header Accept text/event-stream",
      "encode @proxylab_notstream gzip",
    ]);
    assert.equal(f!.edits.length, 2);
  });

  it("split origins: the fix is in the app; nothing is faked in the config", () => {
    for (const [v, s] of [
      ["split-sockjs-relative", "split-sockjs"],
      ["split-sse-header-auth", "split-sse"],
    ] as const)
      assert.deepEqual(faultsOf(v, s).faults, []);
  });

  it("nginx inheritance: a location with no proxy_set_header of its own gets the header where the others are", () => {
    const file = path.join(dir, "inherit.conf");
    writeFileSync(
      file,
      [
        "server {",
        "    listen 443 ssl;",
        "    server_name app.test;",
        "    ssl_certificate /etc/ssl/app.pem;",
        "    ssl_certificate_key /etc/ssl/app.key;",
        "    proxy_set_header Host $host;",
        "    location / {",
        "        proxy_pass http://backend:3000;",
        "    }",
        "}",
        "",
      ].join("\n"),
    );
    const project = userProject({ [USER_ENV.config]: file, [USER_ENV.name]: "inherit" })!;
    const r = recorded("apache-naive", "oauth-login"); // received http://app.test/…, registered https://app.test/…
    const d = judge("oauth-login", r.observation as Observations["oauth-login"], project).diagnosis!;
    assert.match(
      d.fixDiff ?? "",
      /^ {5}proxy_set_header Host \$host;\n\+ {4}# proxylab B1: .*\n\+ {4}proxy_set_header X-Forwarded-Proto \$scheme;/m,
    );
  });
});

/** B20 as measured (nginx replicas-round-robin, Chromium 156): the fallback's xhr_send reached the other replica. */
const SPREAD: Observations["sockjs-replicas"] = {
  replicas: 2,
  websocketTransport: "websocket",
  websocketSent: true,
  websocketDelivered: true,
  websocketReplicas: ["app-1"],
  websocketSpread: false,
  websocketFailed: [],
  fallbackTransport: "xhr-streaming",
  // chatSend returned null: "send failed: There is no underlying STOMP connection".
  fallbackSent: false,
  fallbackDelivered: false,
  fallbackReplicas: ["app-1", "app-2"],
  fallbackSpread: true,
  fallbackFailed: ["POST /ws-stomp/<server>/<session>/xhr_send 404"],
  fallbackRequestsByReplica: { "app-1": { xhr_send: 1 }, "app-2": { xhr_streaming: 1 } },
  fallbackErrors: ["send failed: There is no underlying STOMP connection"],
};

/** A user's config (one file) with two replicas, judged on the measured B20 observation: its fix diff. */
function b20Diff(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const project = userProject({ [USER_ENV.config]: file, [USER_ENV.name]: "replicas", [USER_ENV.replicas]: "2" })!;
  const d = judge("sockjs-replicas", SPREAD, project).diagnosis!;
  assert.equal(d.bug, "B20");
  return d.fixDiff ?? "";
}

describe("B20, one session over two replicas: the balancer's affinity, in each proxy's syntax", () => {
  const tls = [
    "    listen 443 ssl;",
    "    server_name app.test;",
    "    ssl_certificate /etc/ssl/a.pem;",
    "    ssl_certificate_key /etc/ssl/a.key;",
  ];
  it("nginx: ip_hash added to the upstream; least_conn replaced by it", () => {
    const upstream = (method: string[]) =>
      [
        "upstream web {",
        ...method,
        "    server web1:3000;",
        "    server web2:3000;",
        "}",
        "server {",
        ...tls,
        "    location / { proxy_pass http://web; }",
        "}",
        "",
      ].join("\n");
    assert.match(b20Diff("rr.conf", upstream([])), /^ upstream web \{\n\+ {4}# proxylab B20: .*\n\+ {4}ip_hash;$/m);
    assert.match(b20Diff("lc.conf", upstream(["    least_conn;"])), /^- {4}least_conn;\n\+ {4}ip_hash;$/m);
    // The whole directive: ip_hash takes no argument. A hash on a key that is not the client's keeps nothing.
    assert.match(
      b20Diff("rnd.conf", upstream(["    random two least_conn;"])),
      /^- {4}random two least_conn;\n\+ {4}ip_hash;$/m,
    );
    assert.match(
      b20Diff("uri.conf", upstream(["    hash $request_uri;"])),
      /^- {4}hash \$request_uri;\n\+ {4}ip_hash;$/m,
    );
  });
  it("HAProxy: balance source, replacing roundrobin or added where no balance is written", () => {
    const cfg = (balance: string[]) =>
      [
        "frontend www",
        "    mode http",
        "    bind :443 ssl crt /etc/ssl/a.pem",
        "    default_backend web",
        "backend web",
        "    mode http",
        ...balance,
        "    server a web1:3000",
        "    server b web2:3000",
        "",
      ].join("\n");
    assert.match(b20Diff("rr.cfg", cfg([])), /^\+ {4}balance source$/m);
    assert.match(b20Diff("lc.cfg", cfg(["    balance leastconn"])), /^- {4}balance leastconn\n\+ {4}balance source$/m);
  });
  it("Caddy: lb_policy ip_hash, in the block or in a block of its own (random by default)", () => {
    assert.match(
      b20Diff("Caddyfile", "app.test:443 {\n\ttls /etc/a.crt /etc/a.key\n\treverse_proxy web1:3000 web2:3000\n}\n"),
      /^-\treverse_proxy web1:3000 web2:3000\n\+\treverse_proxy web1:3000 web2:3000 \{\n(\+\t\t# proxylab B20: .*\n)?\+\t\tlb_policy ip_hash\n\+\t\}$/m,
    );
  });
  it("Apache: a route per member, the ROUTEID cookie and stickysession", () => {
    const diff = b20Diff(
      "site.conf",
      [
        "<VirtualHost *:443>",
        "    ServerName app.test",
        "    SSLEngine on",
        "    <Proxy balancer://web>",
        "        BalancerMember http://web1:3000",
        "        BalancerMember http://web2:3000",
        "    </Proxy>",
        "    ProxyPass / balancer://web/",
        "</VirtualHost>",
        "",
      ].join("\n"),
    );
    assert.match(diff, /^\+ {8}BalancerMember http:\/\/web2:3000 route=2$/m);
    assert.match(diff, /^\+ {8}ProxySet stickysession=ROUTEID$/m);
    assert.match(diff, /^\+ {4}Header add Set-Cookie "ROUTEID=/m);
  });
});

/** As nginx-T-29car's corrected copy showed it (fix-check, 2026-11-29): the scripts under /app/ from nginx's root. */
const TAKEN_UNDER_PREFIX: Observations["sub-path"] = {
  prefix: "/app",
  chatStatus: 200,
  leftPrefix: [],
  failedRequests: ["GET /app/static/sockjs.min.js 404", "GET /app/static/stomp.umd.min.js 404"],
  transport: null,
  pageErrors: ["StompJs is not defined"],
  streamPath: "/app/sse",
  streamEvents: 2,
  sentRedirectUri: "https://app.test/app/oauth/callback",
  registeredRedirectUri: "https://app.test/app/oauth/callback",
  sentMatchesRegistered: true,
  bareStatus: 301,
  bareLocation: "https://app.test/app/",
  bareEnded: "https://app.test/app/",
  redirectLeftOrigin: false,
  redirectUriKeptPrefix: true,
};

/** A user's config with a static-files regex location and `location /app/` (prefix stripped and named, or kept). */
function prefixProject(name: string, kept: boolean) {
  const file = path.join(dir, `${name}.conf`);
  writeFileSync(
    file,
    [
      "server {",
      "    listen 443 ssl;",
      "    server_name app.test;",
      "    ssl_certificate /etc/ssl/a.pem;",
      "    ssl_certificate_key /etc/ssl/a.key;",
      "    location ~* \\.(js|css|png)$ {",
      "        root /var/www/static;",
      "    }",
      "    location /app/ {",
      ...(kept
        ? ["        proxy_pass http://web:3000;"]
        : ["        proxy_pass http://web:3000/;", "        proxy_set_header X-Forwarded-Prefix /app;"]),
      "    }",
      "}",
      "",
    ].join("\n"),
  );
  return userProject({ [USER_ENV.config]: file, [USER_ENV.name]: name, [USER_ENV.prefix]: "/app" })!;
}

describe("B17 with the prefix named: a regex location still takes the app's files under it", () => {
  it("names the regex location and gives the prefix location ^~", () => {
    const d = judge("sub-path", TAKEN_UNDER_PREFIX, prefixProject("named", false)).diagnosis!;
    assert.equal(d.bug, "B17");
    assert.match(d.fixDiff ?? "", /^- {4}location \/app\/ \{\n\+ {4}location \^~ \/app\/ \{$/m);
    // A kept prefix (no header, proxy_pass without a URI) with the same regex location: ^~, no header asked for.
    const k = judge("sub-path", TAKEN_UNDER_PREFIX, prefixProject("kept", true)).diagnosis!;
    assert.equal(k.bug, "B17");
    assert.match(k.fixDiff ?? "", /^\+ {4}location \^~ \/app\/ \{$/m);
    assert.doesNotMatch(k.fixDiff ?? "", /X-Forwarded-Prefix/);
  });
  it("reads a 502 under the prefix as no sub-path failure (the upstream's, not another rule's)", () => {
    const d = judge(
      "sub-path",
      { ...TAKEN_UNDER_PREFIX, failedRequests: ["GET /app/static/sockjs.min.js 502"], pageErrors: [] },
      prefixProject("n2", false),
    ).diagnosis;
    assert.notEqual(d?.bug, "B17");
  });
});

/** Measured (apache-replicas-sticky under repro --replicas 2, Chromium 156): the ROUTEID cookie split the users. */
const USERS_APART: Observations["sockjs-chat"] = {
  transport: "websocket",
  peerTransport: "websocket",
  transportFamily: "websocket",
  peerTransportFamily: "websocket",
  serverTransports: ["websocket", "websocket"],
  serverReplicas: ["app-1", "app-2"],
  openMs: 86,
  rtoMs: 329,
  websocketHandshakeStatus: 101,
  websocketHandshake101: true,
  websocketStatusLine: "HTTP/1.1 101 Switching Protocols",
  pageProtocol: "h2",
  connectRequests: 4,
  idleRequests: 0,
  idleServerRequests: {},
  delivered: false,
  maxDeliveryMs: 5,
  closeCodes: [],
  errors: [],
  voidAttempts: [],
};

describe("B20 in the chat: users on two replicas, each with its own broker", () => {
  it("is the app's to fix, with no config line blamed, even with affinity in the config", () => {
    const project = userProject({
      [USER_ENV.config]: path.resolve(
        import.meta.dirname,
        "..",
        "proxy-variants",
        "apache-replicas-sticky",
        "site.conf",
      ),
      [USER_ENV.name]: "sticky",
      [USER_ENV.replicas]: "2",
    })!;
    const d = judge("sockjs-chat", USERS_APART, project).diagnosis!;
    assert.equal(d.bug, "B20");
    assert.deepEqual(
      (d.faults ?? []).filter((f) => f.fixIn === "config"),
      [],
    );
    assert.match(d.why, /app-1 and app-2/);
  });
  it("is not B20 with one app, whatever else breaks the chat", () => {
    const project = getProject("fixed");
    const d = judge("sockjs-chat", { ...USERS_APART, serverReplicas: ["app"] }, project).diagnosis;
    assert.notEqual(d?.bug, "B20");
  });
});

/** B18, the app's side, as measured (haproxy-naive, Chromium 156): the app's 303 after a form post is http://. */
const LEAKED_SCHEME: Observations["form-redirect"] = {
  formStatus: 200,
  postStatus: 303,
  location: "http://app.test/form/sent?message=hello",
  locationDiffers: ["scheme http instead of https", "port 80 instead of 443"],
  ended: "net::ERR_CONNECTION_REFUSED",
  finalState: null,
};

/** A user's config (one file), judged on a measured form-redirect observation: the field report and its fix diff. */
function b18Diff(name: string, text: string, o: Observations["form-redirect"] = LEAKED_SCHEME): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const project = userProject({ [USER_ENV.config]: file, [USER_ENV.name]: "form" })!;
  const d = judge("form-redirect", o, project).diagnosis!;
  assert.equal(d.bug, "B18");
  assert.ok(
    d.faults?.every((f) => f.bug === "B18"),
    "every fault is the cell's own field report",
  );
  return d.fixDiff ?? "";
}

describe("B18, the app's absolute redirect: what the proxy forwards, in each proxy's syntax", () => {
  it("nginx: the missing X-Forwarded-Proto, in the location that serves the form", () => {
    const diff = b18Diff(
      "form.conf",
      [
        "server {",
        "    listen 443 ssl;",
        "    server_name app.test;",
        "    ssl_certificate /etc/ssl/a.pem;",
        "    ssl_certificate_key /etc/ssl/a.key;",
        "    location / {",
        "        proxy_pass http://web:3000;",
        "        proxy_set_header Host $host;",
        "    }",
        "}",
        "",
      ].join("\n"),
    );
    assert.match(diff, /^\+ {8}proxy_set_header X-Forwarded-Proto \$scheme;$/m);
  });
  it("nginx: a Host without its port behind a public port other than 443", () => {
    const o: Observations["form-redirect"] = {
      ...LEAKED_SCHEME,
      location: "https://app.test/form/sent?message=hello",
      locationDiffers: ["port 443 instead of 8443"],
    };
    const diff = b18Diff(
      "port.conf",
      [
        "server {",
        "    listen 8443 ssl;",
        "    server_name app.test;",
        "    ssl_certificate /etc/ssl/a.pem;",
        "    ssl_certificate_key /etc/ssl/a.key;",
        "    location / {",
        "        proxy_pass http://web:3000;",
        "        proxy_set_header Host $host;",
        "        proxy_set_header X-Forwarded-Proto $scheme;",
        "    }",
        "}",
        "",
      ].join("\n"),
      o,
    );
    assert.match(diff, /^- {8}proxy_set_header Host \$host;\n\+ {8}proxy_set_header Host \$http_host;$/m);
  });
  it("HAProxy and Apache: X-Forwarded-Proto set where the request is taken", () => {
    const haproxy = b18Diff(
      "haproxy.cfg",
      [
        "frontend www",
        "    mode http",
        "    bind :443 ssl crt /etc/ssl/a.pem",
        "    default_backend web",
        "backend web",
        "    mode http",
        "    server a web:3000",
        "",
      ].join("\n"),
    );
    assert.match(haproxy, /^\+ {4}http-request set-header X-Forwarded-Proto https/m);
    const apache = b18Diff(
      "apache-form.conf",
      [
        "<VirtualHost *:443>",
        "    ServerName app.test",
        "    SSLEngine on",
        "    ProxyPass / http://web:3000/",
        "    ProxyPassReverse / http://web:3000/",
        "</VirtualHost>",
        "",
      ].join("\n"),
    );
    assert.match(apache, /^\+ {4}RequestHeader set X-Forwarded-Proto "https"$/m);
  });
});

/** A one-file unified diff applied to its original (the diffs here are the harness's own, 3 lines of context). */
function applyDiffLines(text: string, diff: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  let i = 0;
  for (const hunk of diff.split(/^@@ /m).slice(1)) {
    const start = Number(/^-(\d+)/.exec(hunk)![1]) - 1;
    while (i < start) out.push(lines[i++]!);
    for (const l of hunk.split("\n").slice(1)) {
      if (l.startsWith(" ")) out.push(lines[i++]!);
      else if (l.startsWith("-")) i++;
      else if (l.startsWith("+")) out.push(l.slice(1));
    }
  }
  while (i < lines.length) out.push(lines[i++]!);
  return out.join("\n");
}

/** Two nginx hops of the user's own (`--config edge.conf --config inner.conf`): the hop at fault, by its file and line. */
function chain(name: string, edgeText: string, innerText: string): ReturnType<typeof userProject> {
  // Each its own files and name: a config is read once per process and name.
  const edge = path.join(dir, `${name}-edge.conf`);
  const inner = path.join(dir, `${name}-inner.conf`);
  writeFileSync(edge, edgeText);
  writeFileSync(inner, innerText);
  return userProject({
    [USER_ENV.config]: inner,
    [USER_ENV.shown]: "inner.conf",
    [USER_ENV.name]: name,
    [USER_ENV.edgeConfig]: edge,
    [USER_ENV.edgeShown]: "edge.conf",
  });
}

const EDGE_CUT: Observations["idle-timeout"] = {
  streamTimeoutMs: 60_000,
  streamTimeoutFrom: "the edge's nginx's default proxy_read_timeout, 60 s",
  tunnelTimeoutMs: 60_000,
  tunnelTimeoutFrom: "the edge's nginx's default proxy_read_timeout, 60 s",
  heldMs: 66_000,
  notChecked: null,
  quietStreamCut: true,
  quietStreamCutAfterMs: 60_004,
  quietStreamPageSawCut: true,
  quietStreamAppSawCutAfterMs: 60_006,
  heartbeatMs: 30_000,
  heartbeatStreamCut: false,
  quietSocketOpened: true,
  quietSocketClosed: true,
  quietSocketCloseCode: 1006,
  quietSocketClosedAfterMs: 60_003,
};

describe("behind an edge: the hop at fault", () => {
  const edge =
    "server {\n    listen 443 ssl;\n    server_name app.test;\n    ssl_certificate /etc/ssl/a.pem;\n    ssl_certificate_key /etc/ssl/a.key;\n    location / {\n        proxy_pass http://inner:8080;\n        proxy_http_version 1.1;\n    }\n}\n";
  it("B23: the edge's own 60 s cuts first, fixed in the edge's location", () => {
    const inner =
      "server {\n    listen 8080;\n    location / {\n        proxy_pass http://app:3000;\n        proxy_read_timeout 1h;\n    }\n}\n";
    const d = judge("idle-timeout", EDGE_CUT, chain("cut", edge, inner)!).diagnosis!;
    assert.equal(d.bug, "B23");
    const config = (d.faults ?? []).filter((f) => f.fixIn === "config");
    assert.equal(config.length, 1);
    assert.equal(config[0]!.bug, "B23");
    assert.match(config[0]!.cause, /^At the edge \(edge\.conf\): nginx's default proxy_read_timeout \(60 s\)/);
    assert.match(d.fixDiff ?? "", /^\+ {8}proxy_read_timeout 1h;$/m);
    assert.match(d.fixDiff ?? "", /^\+\+\+ edge\.conf/m);
  });
  it("B21, not B13: an inner hop that overwrites the edge's https, though a single-hop row shows the same symptom", () => {
    const inner =
      "server {\n    listen 8080;\n    location / {\n        proxy_pass http://app:3000;\n        proxy_set_header X-Forwarded-Proto $scheme;\n    }\n}\n";
    const asked: Observations["session-cookie"] = {
      loginStatus: 302,
      setCookieSeen: false,
      cookieSecure: null,
      cookieSameSite: null,
      cookiePath: null,
      cookieInBrowser: false,
      signInPagesShown: 2,
      finalState: "sign-in",
      finalPath: "/session/",
      pageProtocol: "https:",
    };
    const d = judge(
      "session-cookie",
      asked,
      chain(
        "overwrite",
        edge.replace(
          "proxy_http_version 1.1;",
          "proxy_http_version 1.1;\n        proxy_set_header X-Forwarded-Proto $scheme;",
        ),
        inner,
      )!,
    ).diagnosis!;
    assert.equal(d.bug, "B21");
    assert.match(d.why, /overwrites the edge's https/);
    assert.match(d.fixDiff ?? "", /^\+ {8}proxy_set_header X-Forwarded-Proto \$http_x_forwarded_proto;$/m);
  });
});
