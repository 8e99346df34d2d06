/**
 * A user's config, read and adapted on a copy: what is changed (and why), what is left as written, and that the
 * user's own file is never written. No engine needed: this is the reading, not the run.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { prepareConfig, replicaNames } from "./prepare";

const dir = mkdtempSync(path.join(os.tmpdir(), "proxylab-prepare-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function prepared(name: string, text: string, proxy?: "nginx" | "apache" | "haproxy" | "caddy") {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const config = prepareConfig(file, name, proxy);
  assert.equal(readFileSync(file, "utf8"), text, "the user's file is never written");
  const copy = config.adapted.files.map((f) => f.text).join("\n");
  return { config, copy, whys: config.adapted.changes.map((c) => `${c.line}: ${c.why}`) };
}

describe("a user's config, adapted on a copy", () => {
  it("nginx: a loopback upstream becomes the app; a named one stays; one-line configs are recognised", () => {
    const { config, copy, whys } = prepared(
      "one-line.conf",
      "server { listen 127.0.0.1:8080; location / { proxy_pass http://127.0.0.1:3000; } location /api/ { proxy_pass http://api:4000; } }\n",
    );
    assert.equal(config.kind, "nginx");
    assert.match(copy, /proxy_pass http:\/\/proxylab-app:3000;/);
    assert.match(copy, /proxy_pass http:\/\/api:4000;/);
    assert.match(copy, /listen 8080;/);
    assert.equal(whys.length, 2);
    assert.match(whys.join("\n"), /127\.0\.0\.1:8080 is reached only from the proxy's own host/);
    assert.match(config.adapted.diff, /^--- one-line\.conf\n\+\+\+ one-line\.conf \(as the harness runs it\)/m);
  });

  it("Apache: a VirtualHost and a Listen bound to one address listen on their port on every address", () => {
    const { copy, whys } = prepared(
      "site.conf",
      "Listen 192.0.2.10:8443 https\n<VirtualHost 192.0.2.10:8443>\n  ServerName chat.example.com\n  SSLEngine on\n  SSLCertificateFile /etc/ssl/c.pem\n  ProxyPass / http://localhost:3000/\n</VirtualHost>\n",
    );
    assert.match(copy, /^Listen 8443 https$/m);
    assert.match(copy, /^<VirtualHost \*:8443>$/m);
    assert.match(copy, /ProxyPass \/ http:\/\/proxylab-app:3000\//);
    assert.match(whys.join("\n"), /the container has no address 192\.0\.2\.10/);
  });

  it("HAProxy: each bound address of a bind list, and a private-address server", () => {
    const { copy } = prepared(
      "haproxy.cfg",
      "frontend web\n  mode http\n  bind 192.0.2.10:80,127.0.0.1:8080\n  default_backend app\nbackend app\n  mode http\n  server a 10.0.0.5:3000\n",
    );
    assert.match(copy, /bind :80,:8080$/m);
    assert.match(copy, /server a proxylab-app:3000$/m);
  });

  it("a public upstream is left as written, and said to reach nothing", () => {
    const { config, copy } = prepared(
      "public.conf",
      "server {\n  listen 80;\n  location / { proxy_pass http://127.0.0.1:3000; }\n  location /avatar/ { proxy_pass https://8.8.8.8/; }\n}\n",
    );
    assert.match(copy, /proxy_pass https:\/\/8\.8\.8\.8\/;/);
    assert.match(
      config.notes.join("\n"),
      /public\.conf:4: 8\.8\.8\.8 is a public address: left as it is, and it reaches nothing/,
    );
  });

  it("a config already right for the stack is run as it is: no change, no diff", () => {
    const { config } = prepared(
      "fine.conf",
      "server {\n  listen 80;\n  server_name app.test;\n  location / { proxy_pass http://backend:3000; }\n}\n",
    );
    assert.equal(config.adapted.changes.length, 0);
    assert.equal(config.adapted.diff, "");
  });
});

describe("replicaNames: which names each app replica answers", () => {
  it("shares names out in the config's order when there are enough", () => {
    assert.deepEqual(replicaNames(["proxylab-app", "web1", "web2"], 1, 2), ["proxylab-app", "web1"]);
    assert.deepEqual(replicaNames(["proxylab-app", "web1", "web2"], 2, 2), ["proxylab-app", "web2"]);
  });
  it("gives every name to every replica when there are fewer names than replicas (one service name)", () => {
    assert.deepEqual(replicaNames(["proxylab-app", "web"], 2, 2), ["proxylab-app", "web"]);
    // Local ports only (127.0.0.1:3001, :3002): both replicas answer the harness's name for them.
    assert.deepEqual(replicaNames(["proxylab-app"], 2, 2), ["proxylab-app"]);
  });
});
