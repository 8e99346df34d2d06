import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { readConfigShape } from "./contract";
import { configPath } from "../projects";
import { VARIANTS } from "../registry";

const dir = mkdtempSync(path.join(os.tmpdir(), "proxylab-contract-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function shapeOf(text: string) {
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(file, text);
  return () => readConfigShape(file);
}

const TLS = "ssl_certificate /etc/proxylab/tls/server.crt; ssl_certificate_key /etc/proxylab/tls/server.key;";

describe("proxy config contract", () => {
  it("every registered nginx variant fits it", () => {
    for (const v of VARIANTS.filter((v) => v.proxy === "nginx"))
      assert.doesNotThrow(() => readConfigShape(configPath(v)), v.name);
  });

  it("reads the scheme from listen, and where the file goes from whether it has its own http {}", () => {
    assert.deepEqual(shapeOf(`server { listen 80; location / { proxy_pass http://app; } }`)(), {
      scheme: "http",
      target: "/etc/nginx/sites-enabled/default",
    });
    assert.deepEqual(
      shapeOf(
        `events {}\nhttp {\n server { listen [::]:443 ssl; ${TLS} location / { proxy_pass http://app:80/; } } }`,
      )(),
      { scheme: "https", target: "/etc/nginx/nginx.conf" },
    );
  });

  it("takes any port a config listens on (the harness publishes each as it is), and says when there is none", () => {
    assert.deepEqual(
      shapeOf(`server {\n  listen 8443 ssl;\n  location / { proxy_pass http://app; } }`)().scheme,
      "https",
    );
    assert.throws(shapeOf(`upstream u { server app:80; }`), /it has no server \{\} block, so it listens nowhere/);
  });

  it("rejects upstreams that are not on the harness's network, with the line and what to write", () => {
    assert.throws(
      shapeOf(`server { listen 80;\n location / {\n  proxy_pass http://127.0.0.1:3000; } }`),
      /:3: proxies to `127\.0\.0\.1:3000`: inside the proxy's container that is the proxy itself/,
    );
    assert.throws(
      shapeOf(
        `upstream backend { server node-app:3000; }\nserver { listen 80; location / { proxy_pass http://backend; } }`,
      ),
      /:1: proxies to `node-app:3000`, which does not exist.*upstream node-app \{ server app:80; \}/,
    );
    assert.throws(
      shapeOf(`server { listen 80; location / { proxy_pass http://app:8080; } }`),
      /proxies to `app:8080`, but the fixture app listens on 80/,
    );
    assert.doesNotThrow(
      shapeOf(
        `upstream backend {\n  server app:80;\n  keepalive 8;\n}\nserver { listen 80; location / { proxy_pass http://backend; } }`,
      ),
    );
    assert.doesNotThrow(shapeOf(`server { listen 80; location / { set $u app; proxy_pass http://$u; } }`));
  });

  it("points a certificate elsewhere to the harness's test certificate", () => {
    assert.throws(
      shapeOf(
        `server { listen 443 ssl;\n ssl_certificate /etc/letsencrypt/live/x/fullchain.pem;\n ssl_certificate_key /etc/proxylab/tls/server.key; location / { proxy_pass http://app; } }`,
      ),
      /:2: ssl_certificate \/etc\/letsencrypt.*Write `ssl_certificate \/etc\/proxylab\/tls\/server\.crt;`/,
    );
  });

  it("ignores comments and quoted #", () => {
    assert.deepEqual(
      shapeOf(
        `# listen 8080;\nserver { listen 80; # listen 9000;\n add_header X-A "a#b"; location / { proxy_pass http://app; } }`,
      )().scheme,
      "http",
    );
  });
});
