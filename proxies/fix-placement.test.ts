/**
 * Where a fix goes and how it reads: a route collision named at its line, a section the config lacks made in the
 * kind's own conventions, fix lines indented as the block they join, under a comment naming the field report.
 * No engine needed: the config is read and the fix written on a copy.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fixedCopy, type FaultQuery, type Symptom } from "./faults";
import { faultsFor } from "./find-faults";
import { prepareConfig } from "./prepare";

const dir = mkdtempSync(path.join(os.tmpdir(), "proxylab-fix-placement-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function fix(name: string, text: string, symptom: Symptom, query: Partial<FaultQuery> = {}, version?: string) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const config = prepareConfig(file, name, undefined, version ? { nginxVersion: version } : {});
  const faults = faultsFor(config, { symptom, host: "app.test", port: 443, path: "/", prefix: "", ...query });
  return { faults, diff: fixedCopy(config, faults).diff };
}

describe("a fix reads like a careful person's edit", () => {
  it("nginx: a location without a slash boundary that takes another path is named, and given its boundary", () => {
    const text =
      'server {\n    listen 443 ssl http2;\n    server_name app.test;\n    ssl_certificate /a.pem;\n    ssl_certificate_key /a.key;\n    location / { proxy_pass http://app:3000; }\n    location /ws {\n        proxy_pass http://ws-server:8080/;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection "upgrade";\n        proxy_http_version 1.1;\n    }\n}\n';
    const { faults, diff } = fix("ws.conf", text, { bug: "B6", status: 404 }, { path: "/ws-echo" });
    assert.match(
      faults[0]!.cause,
      /`location \/ws` \(ws\.conf:7\) also takes \/ws-echo: a prefix location matches without a slash boundary, so \/ws-echo went to `proxy_pass http:\/\/ws-server:8080\/;` as \/-echo/,
    );
    assert.match(diff, /^- {4}location \/ws \{\n\+ {4}location \/ws\/ \{$/m);
  });

  it("Apache: a ProxyPass without a slash boundary that takes another path is named, and keeps its boundary", () => {
    const text =
      "<VirtualHost *:443>\n  ServerName app.test\n  SSLEngine on\n  ProxyPass /ws ws://chat:3000/ws\n  ProxyPass / http://app:3000/\n</VirtualHost>\n";
    const { faults, diff } = fix("site.conf", text, { bug: "B6", status: 404 }, { path: "/ws-echo" });
    assert.match(
      faults[0]!.cause,
      /`ProxyPass \/ws ws:\/\/chat:3000\/ws` also takes \/ws-echo: Apache matches a ProxyPass path as a string/,
    );
    assert.match(diff, /^\+ {2}ProxyPassMatch "\^\/ws\(\/\.\*\)\?\$" "ws:\/\/chat:3000\/ws\$1"$/m);
  });

  it("HAProxy: a fix that needs the global section the config lacks makes one at the top", () => {
    const text =
      "defaults\n    mode http\nfrontend www\n    bind :443 ssl crt /etc/ssl/a.pem\n    default_backend app\nbackend app\n    server a app:3000\n";
    const { diff } = fix("haproxy.cfg", text, { bug: "B14", response: 24576, request: null });
    assert.match(
      diff,
      /^@@ -1,\d+ \+1,\d+ @@\n\+# proxylab B14: room for big header blocks\n\+global\n\+ {4}tune\.bufsize 32768\n\+\n defaults$/m,
    );
  });

  it("nginx: a server without a listen gets TLS lines at its own indentation, not at column 0", () => {
    const text = "server {\n    server_name app.test;\n    location / { proxy_pass http://app:3000; }\n}\n";
    const { diff } = fix("plain.conf", text, { bug: "B3" }, { port: 80 });
    assert.match(diff, /^\+ {4}# proxylab B3: serve the site over TLS with HTTP\/2\n\+ {4}listen 443 ssl http2;$/m);
    assert.doesNotMatch(diff, /^\+(?!\+\+ )\S/m);
    // Inside the one-line location, where it takes effect: not after it, at the server's level.
    assert.match(
      diff,
      /^\+ {4}location \/ \{ proxy_pass http:\/\/app:3000; proxy_set_header X-Forwarded-Proto \$scheme; \}$/m,
    );
  });

  it("nginx: a fix for a fragment of locations goes at the fragment's top, not into the harness's wrapper", () => {
    const text = "location / {\n    proxy_pass http://app:3000;\n}\n";
    const { diff } = fix("frag.conf", text, { bug: "B19", bytes: 2_097_152, held: false }, {}, "1.30");
    assert.match(diff, /^\+# proxylab B19: room for uploads\n\+client_max_body_size \S+;\n location \/ \{$/m);
  });
});
