/**
 * The edge in front of a config (docs/edge.md): `--behind tls` read, where the edge sends, a two-config chain
 * planned, and the two-hop diagnoses (B21, B22, B23) on observations measured behind the stock edge.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { edgeHint } from "../cli/repro/describe";
import { edgeTarget, parseBehind, stockEdgeConfig } from "../proxies/edge";
import { getProject, USER_ENV, userProject } from "../proxies/projects";
import { planStack } from "../stack/plan";
import { judge } from "./judge";
import type { Observations } from "./observations";

const dir = mkdtempSync(path.join(os.tmpdir(), "proxylab-edge-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("--behind tls", () => {
  it("reads tls and tls:idle=N, and says how to write it otherwise", () => {
    assert.deepEqual(parseBehind("tls"), { idleS: 60 });
    assert.deepEqual(parseBehind("tls:idle=350"), { idleS: 350 });
    assert.throws(() => parseBehind("alb"), /--behind tls/);
    assert.throws(() => parseBehind("tls:idle=0"), /tls:idle=<seconds>/);
  });

  it("sends to the config's plain-http port, 80 first; to its TLS port only when it has no other", () => {
    assert.deepEqual(
      edgeTarget([
        { port: 8080, tls: false },
        { port: 80, tls: false },
        { port: 443, tls: true },
      ]),
      { port: 80, tls: false },
    );
    assert.deepEqual(edgeTarget([{ port: 443, tls: true }]), { port: 443, tls: true });
    assert.equal(edgeTarget([]), null);
    assert.match(stockEdgeConfig({ idleS: 60 }, { port: 443, tls: true }), /server config inner:443 ssl verify none/);
  });

  it("plans the browser onto the edge's 443 and holds quiet streams to the shorter hop", () => {
    const plan = planStack(getProject("edge-scheme-overwrite"), 3);
    assert.deepEqual(plan.entry, { scheme: "https", port: 443, listenPort: 443 });
    assert.equal(plan.appUrl, "https://app.test");
    assert.deepEqual(plan.edge?.target, { port: 80, tls: false });
    assert.equal(plan.edge?.ip, "10.80.3.249");
    assert.equal(plan.edge?.innerAddress, "127.80.3.3");
    // nginx allows 1h, the edge 60 s.
    assert.equal(plan.idle.stream.ms, 60_000);
    assert.match(plan.idle.stream.why, /^the edge's timeout/);
  });
});

describe("two configs in a chain", () => {
  it("runs the second behind the first, at the first's names and ports", () => {
    const edge = path.join(dir, "edge.cfg");
    const inner = path.join(dir, "inner.conf");
    writeFileSync(
      edge,
      "frontend www\n    mode http\n    bind :443 ssl crt /etc/haproxy/certs/site.pem\n    default_backend web\nbackend web\n    mode http\n    timeout server 30s\n    server web nginx:8080\n",
    );
    writeFileSync(
      inner,
      "server {\n    listen 8080;\n    server_name chat.example.com;\n    location / { proxy_pass http://127.0.0.1:3000; proxy_read_timeout 1h; }\n}\n",
    );
    const project = userProject({
      [USER_ENV.config]: inner,
      [USER_ENV.edgeConfig]: edge,
      [USER_ENV.version]: "1.22",
    })!;
    assert.ok(project.edge && "config" in project.edge);
    const plan = planStack(project, 0);
    assert.deepEqual(plan.entry, { scheme: "https", port: 443, listenPort: 443 });
    assert.deepEqual(plan.edge?.target, { port: 8080, tls: false });
    assert.deepEqual(plan.publicNames, ["chat.example.com"]);
    assert.equal(plan.idle.stream.ms, 30_000, plan.idle.stream.why);
  });

  it("refuses --behind with a chain, and --publish behind an edge", () => {
    const inner = path.join(dir, "inner.conf");
    assert.throws(
      () => userProject({ [USER_ENV.config]: inner, [USER_ENV.behind]: "tls", [USER_ENV.edgeConfig]: inner }),
      /one edge at a time/,
    );
    assert.throws(
      () => userProject({ [USER_ENV.config]: inner, [USER_ENV.behind]: "tls", [USER_ENV.publish]: "443:8080" }),
      /drop --publish/,
    );
  });
});

describe("the hint", () => {
  it("says what --behind tls would test for a config written for an edge, and nothing for one that is not", () => {
    const site = path.join(dir, "site.conf");
    writeFileSync(
      site,
      "server {\n    listen 80;\n    server_name chat.example.com;\n    location / { proxy_pass http://127.0.0.1:3000; proxy_set_header X-Forwarded-Proto $scheme; }\n}\n",
    );
    const hint = edgeHint(userProject({ [USER_ENV.config]: site, [USER_ENV.version]: "1.22" })!);
    assert.match(hint ?? "", /listens on plain http only and sets X-Forwarded-\* lines.*--behind tls/);
    assert.equal(edgeHint(getProject("fixed")), null);
    assert.equal(edgeHint(getProject("edge-scheme-overwrite")), null, "already behind one");
  });
});

describe("two-hop diagnoses", () => {
  it("B21: names the X-Forwarded-Proto line that overwrites the edge's https, and fixes it in place", () => {
    const o: Observations["oauth-login"] = {
      outcome: "redirect_uri_mismatch",
      reason: null,
      user: null,
      finalStatus: 400,
      finalUrl: "https://idp.test:9443/authorize",
      sentRedirectUri: "http://app.test:443/oauth/callback",
      providerReceivedRedirectUri: "http://app.test:443/oauth/callback",
      registeredRedirectUri: "https://app.test/oauth/callback",
      redirectUriMatchesRegistered: false,
    };
    const d = judge("oauth-login", o, getProject("edge-scheme-overwrite")).diagnosis!;
    assert.equal(d.bug, "B21");
    const fault = d.faults!.find((f) => f.bug === "B21")!;
    assert.match(fault.where!.site.quote, /X-Forwarded-Proto \$scheme/);
    assert.match(fault.cause, /overwrites the edge's https/);
    assert.match(d.fixDiff ?? "", /\+\s+proxy_set_header X-Forwarded-Proto \$http_x_forwarded_proto;/);
  });

  it("B22: the app took the edge's address; set_real_ip_from is missing from the server", () => {
    const o: Observations["client-address"] = {
      status: 200,
      clientAddress: "10.80.0.249",
      xRealIp: "10.80.0.249",
      xForwardedFor: "10.80.0.1, 10.80.0.249",
      peer: "10.80.0.250",
      browserAddress: "10.80.0.1",
      whose: "edge",
    };
    const d = judge("client-address", o, getProject("edge-scheme-overwrite")).diagnosis!;
    assert.equal(d.bug, "B22");
    assert.equal(d.faults![0]!.where!.how, "missing");
    assert.ok(d.faults![0]!.fix.some((l) => l.startsWith("real_ip_header X-Forwarded-For")));
    assert.equal(
      judge("client-address", { ...o, clientAddress: "10.80.1.1", whose: "browser" }, getProject("edge-fixed")).healthy,
      true,
    );
  });
});
