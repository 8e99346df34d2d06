/**
 * What a deployment has and a config file does not, completed on the copy (proxies/<kind>/complete.ts, the Caddy
 * placeholders, the HAProxy stand-ins): each change in the diff with why, each read into the tree as it runs, and
 * the user's file never written. No engine needed.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fixedCopy } from "./faults";
import { prepareConfig, type PrepareOptions } from "./prepare";

const dir = mkdtempSync(path.join(os.tmpdir(), "proxylab-complete-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function prepared(name: string, text: string, options: PrepareOptions = {}, proxy?: "nginx" | "apache") {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const config = prepareConfig(file, name, proxy, options);
  assert.equal(readFileSync(file, "utf8"), text, "the user's file is never written");
  return {
    config,
    copy: config.adapted.files.map((f) => f.text).join("\n"),
    whys: config.adapted.changes.map((c) => `${c.line}: ${c.why}`).join("\n"),
    notes: config.notes.join("\n"),
  };
}

describe("nginx: what a deployment has", () => {
  it("user nginx (the official image's account) runs as Debian's www-data; root and www-data stay", () => {
    const conf = (user: string) =>
      `user ${user};\nevents {}\nhttp {\n  server {\n    listen 80;\n    location / { proxy_pass http://app:3000; }\n  }\n}\n`;
    const official = prepared("nginx.conf", conf("nginx nginx"));
    assert.match(official.copy, /^user www-data www-data;$/m);
    assert.match(official.whys, /^1: user nginx nginx: an account of the image this config was written for/m);
    assert.match(prepared("nginx.conf", conf("www-data")).copy, /^user www-data;$/m);
    assert.match(prepared("nginx.conf", conf("www-data nginx")).copy, /^user www-data www-data;$/m);
    assert.equal(prepared("nginx.conf", conf("root")).config.adapted.diff, "");
  });

  it("commented-out certificate lines are uncommented, and their paths get the test certificate", () => {
    const { config, copy, whys } = prepared(
      "site.conf",
      "server {\n  listen 443 ssl;\n  server_name chat.example.com;\n  # ssl_certificate     /etc/letsencrypt/live/chat.example.com/fullchain.pem;\n  #ssl_certificate_key /etc/letsencrypt/live/chat.example.com/privkey.pem;\n  location / { proxy_pass http://app:3000; }\n}\n",
    );
    assert.match(copy, /^ {2}ssl_certificate {5}\/etc\/letsencrypt\/live\/chat\.example\.com\/fullchain\.pem;$/m);
    assert.match(copy, /^ {2}ssl_certificate_key \/etc\/letsencrypt\/live\/chat\.example\.com\/privkey\.pem;$/m);
    assert.match(whys, /^4: listen … ssl with its certificate lines commented out/m);
    assert.deepEqual(
      config.facts.files.map((f) => `${f.role} ${f.path}`),
      [
        "certificate /etc/letsencrypt/live/chat.example.com/fullchain.pem",
        "key /etc/letsencrypt/live/chat.example.com/privkey.pem",
      ],
    );
  });

  it("a TLS server with no certificate lines gets certbot's, at the end of its block, indented as its lines", () => {
    const { copy } = prepared(
      "push.conf",
      "server {\n    listen 443 ssl;\n    server_name push.example.org;\n    location / { proxy_pass http://app:8080; }\n}\n",
    );
    assert.match(
      copy,
      /location \/ \{ proxy_pass http:\/\/app:8080; \}\n {4}ssl_certificate \/etc\/letsencrypt\/live\/push\.example\.org\/fullchain\.pem; # managed by Certbot\n {4}ssl_certificate_key \/etc\/letsencrypt\/live\/push\.example\.org\/privkey\.pem; # managed by Certbot\n\}/,
    );
  });

  it("a certificate from the http level is enough: nothing is added", () => {
    const { whys } = prepared(
      "nginx.conf",
      "events {}\nhttp {\n  ssl_certificate /etc/ssl/a.pem;\n  ssl_certificate_key /etc/ssl/a.key;\n  server { listen 443 ssl; location / { proxy_pass http://app; } }\n}\n",
    );
    assert.equal(whys, "");
  });

  it("an http {} without events {} gets Debian's, before it", () => {
    const { copy, whys } = prepared(
      "nginx.conf",
      "http {\n  server { listen 80; location / { proxy_pass http://app:3000; } }\n}\n",
    );
    assert.match(copy, /^events \{\n {4}worker_connections 768;\n\}\nhttp \{/);
    assert.match(whys, /^1: nginx needs an events section/);
  });

  it("a fragment of locations runs in a TLS server with HTTP/2, in the words of the version", () => {
    const text =
      "# include in your server\nproxy_set_header Host $host;\nlocation /app/ {\n  proxy_pass http://127.0.0.1:8000;\n}\n";
    const old = prepared("app.conf", text, { nginxVersion: "1.22" });
    assert.match(
      old.copy,
      /^server \{\n {4}listen 443 ssl http2;\n {4}server_name app\.test;\n {4}ssl_certificate \/etc\/proxylab\/tls\/server\.crt;\n {4}ssl_certificate_key \/etc\/proxylab\/tls\/server\.key;\nproxy_set_header Host \$host;$/m,
    );
    assert.match(old.copy, /^\}\n\}\n$/m);
    assert.deepEqual(
      old.config.facts.listens.map((l) => [l.port, l.tls]),
      [[443, true]],
    );
    assert.deepEqual(old.config.facts.names, ["app.test"]);
    const current = prepared("app.conf", text, { nginxVersion: "1.30" });
    assert.match(current.copy, /^ {4}listen 443 ssl;\n {4}http2 on;$/m);
  });

  it("a file with http-level blocks around server lines is not wrapped (nginx's own error says what is wrong)", () => {
    const { whys } = prepared(
      "mixed.conf",
      "location / { proxy_pass http://a; }\nupstream a { server app:80; }\nlocation /b { proxy_pass http://a; }\n",
    );
    assert.doesNotMatch(whys, /fragment/);
  });

  it("cache, temp and log folders a stock nginx lacks are made; certbot's file named relative to /etc/nginx is provided", () => {
    const { config, notes } = prepared(
      "site.conf",
      "proxy_cache_path /var/nginx/cache keys_zone=c:1m;\nserver {\n  listen 80;\n  access_log /var/log/nginx/app/access.log;\n  error_log /var/log/nginx/error.log;\n  include options-ssl-nginx.conf;\n  location / { proxy_pass http://app:3000; }\n}\n",
    );
    assert.deepEqual(
      config.facts.files.filter((f) => f.role === "directory").map((f) => f.path),
      ["/var/nginx", "/var/log/nginx/app"],
    );
    assert.match(notes, /site\.conf:1: \/var\/nginx is made in the container \(proxy_cache_path needs it/);
    assert.match(notes, /\/etc\/nginx\/options-ssl-nginx\.conf is certbot's/);
    assert.match(
      config.provided.find((p) => p.target === "/etc/nginx/options-ssl-nginx.conf")?.text ?? "",
      /ssl_protocols TLSv1\.2 TLSv1\.3;/,
    );
  });

  it("--proxy decides a config that reads as nginx and as a Caddyfile alike", () => {
    const { config } = prepared(
      "tiny.conf",
      "server {\n  location / {\n    proxy_pass http://localhost:3000;\n  }\n}\n",
      {},
      "nginx",
    );
    assert.equal(config.kind, "nginx");
  });
});

describe("Apache, HAProxy, Caddy: what a deployment has", () => {
  it("Apache: a fragment of a virtual host runs in a TLS one", () => {
    const { config, copy } = prepared(
      "app.conf",
      "ProxyPreserveHost On\n<Location /app/>\n  ProxyPass http://127.0.0.1:8000/app/\n</Location>\n",
    );
    assert.equal(config.kind, "apache");
    assert.match(copy, /^<VirtualHost \*:443>\n {4}ServerName app\.test\n {4}SSLEngine on\n/);
    assert.match(copy, /<\/Location>\n<\/VirtualHost>\n$/);
    assert.deepEqual(
      config.facts.listens.map((l) => [l.port, l.tls]),
      [[443, true]],
    );
  });

  it("HAProxy: error pages, Lua scripts, maps and lists its project ships get stand-ins; Debian's own pages do not", () => {
    const { config, notes } = prepared(
      "haproxy.cfg",
      "global\n  lua-load /etc/haproxy/cors.lua\ndefaults\n  mode http\n  errorfile 503 /usr/local/etc/haproxy/errors/503.http\n  errorfile 502 /etc/haproxy/errors/502.http\nfrontend fe\n  bind :80\n  http-request lua.cors\n  acl bad src -f blocked.lst\n  use_backend %[req.hdr(host),lower,map_dom(/etc/haproxy/hosts.map,be)]\nbackend be\n  server a app:80\n",
    );
    const byTarget = new Map(config.provided.map((p) => [p.target, p.text ?? ""]));
    assert.match(byTarget.get("/usr/local/etc/haproxy/errors/503.http")!, /^HTTP\/1\.0 503 Service Unavailable\r\n/);
    assert.equal(byTarget.has("/etc/haproxy/errors/502.http"), false);
    assert.match(byTarget.get("/etc/haproxy/cors.lua")!, /core\.register_action\("cors"/);
    assert.equal(byTarget.get("/etc/haproxy/blocked.lst"), "");
    assert.equal(byTarget.get("/etc/haproxy/hosts.map"), "");
    assert.match(
      notes,
      /haproxy\.cfg:5: \/usr\/local\/etc\/haproxy\/errors\/503\.http is not in what was given: a stand-in 503 page/,
    );
  });

  it("Caddy: placeholders take --env, then their default, then a test value; tls <email> issues internally", () => {
    const text =
      "{$DOMAIN} {\n\ttls {$EMAIL}\n\tlog {\n\t\toutput file {$LOG_FILE:/var/log/caddy/site.log}\n\t}\n\treverse_proxy {$UPSTREAM}\n}\n";
    const given = prepared("Caddyfile", text, { env: { DOMAIN: "chat.example.com" } });
    assert.deepEqual(given.config.facts.names, ["chat.example.com"]);
    assert.match(given.copy, /^chat\.example\.com \{$/m);
    assert.match(given.copy, /^\ttls internal$/m);
    assert.match(given.copy, /output file \/var\/log\/caddy\/site\.log$/m);
    assert.match(given.copy, /reverse_proxy proxylab-app:80$/m);
    assert.match(given.whys, /\{\$DOMAIN\} is read from Caddy's environment: --env DOMAIN=chat\.example\.com/);
    assert.match(given.whys, /\{\$EMAIL\} has no value here .* give --env EMAIL=… to run with yours/);
    assert.match(given.whys, /tls admin@app\.test asks an ACME CA/);
    const bare = prepared("Caddyfile", text);
    assert.deepEqual(bare.config.facts.names, ["domain.test"]);
  });

  it("templates: {{ variables }} take --env, then their default, then a test value; {% %} asks for the rendered file", () => {
    const text =
      'limit_req_zone $binary_remote_addr zone={{ domain }}_rl:10m rate=1r/s;\nproxy_cache_path /var/cache/x/{{domain}}/ keys_zone=c_{{domain|replace(".","_")}}:10m;\nserver {\n  listen 80;\n  server_name {{ domain }};\n  resolver {{ dns }} valid=5s;\n  location / { proxy_pass http://127.0.0.1:{{ app_port | default(\'3000\') }}; }\n}\n';
    const given = prepared("site.conf", text, { env: { domain: "chat.example.com" } });
    assert.deepEqual(given.config.facts.names, ["chat.example.com"]);
    assert.match(given.copy, /keys_zone=c_chat_example_com:10m;/);
    assert.match(given.copy, /resolver 127\.0\.0\.11 valid=5s;/);
    assert.match(given.copy, /proxy_pass http:\/\/proxylab-app:3000;/);
    assert.match(given.whys, /\{\{ domain \}\} is the template's variable: --env domain=chat\.example\.com/);
    assert.match(given.whys, /\{\{ dns \}\} is a template variable with no value here: a test value, 127\.0\.0\.11/);
    assert.match(given.whys, /no --env app_port given, so the template's default, 3000/);
    assert.deepEqual(prepared("site.conf", text).config.facts.names, ["domain.test"]);
    assert.throws(
      () =>
        prepared(
          "site.conf",
          "{% if tls %}\nserver {\n  listen 80;\n  location / { proxy_pass http://app:3000; }\n}\n{% endif %}\n",
        ),
      /site\.conf:1: \{% if tls %\} is a template's statement or comment: .* Render the template/,
    );
  });

  it("templates: Go actions refused; sub_filter kept; default(100), `| comment`; a file nothing reads left alone", () => {
    const server = (line: string) =>
      `server {\n  listen 80;\n  ${line}\n  location / { proxy_pass http://app:3000; }\n}\n`;
    assert.throws(
      () => prepared("site.conf", `{{ if .Values.tls }}\n${server("")}{{ end }}\n`),
      /site\.conf:1: \{\{ if \.Values\.tls \}\} is a template's statement or comment/,
    );
    const kept = prepared(
      "site.conf",
      server("sub_filter '{{API_URL}}' 'https://x';\n  client_max_body_size {{ max_body | default(100) }}m;"),
    );
    assert.match(kept.copy, /sub_filter '\{\{API_URL\}\}' 'https:\/\/x';/);
    assert.match(kept.copy, /client_max_body_size 100m;/);
    assert.match(prepared("site.conf", `{{ ansible_managed | comment }}\n${server("")}`).copy, /^# ansible-managed$/m);
    // A directory: only what nginx reads is rendered; a leftover template beside it is not read at all.
    const d = path.join(dir, "rendered-dir");
    mkdirSync(path.join(d, "templates"), { recursive: true });
    writeFileSync(path.join(d, "site.conf"), server("server_name {{ domain }};"));
    writeFileSync(path.join(d, "templates", "old.j2"), "{% for s in sites %}\n{{ s }}\n{% endfor %}\n");
    const config = prepareConfig(d, "rendered-dir");
    assert.deepEqual(config.facts.names, ["domain.test"]);
    assert.doesNotMatch(config.adapted.diff, /old\.j2/);
  });

  it("templates: a fix on a template's line finds its text in the rendered line", () => {
    const { config } = prepared(
      "tpl.conf",
      "server {\n  listen 80;\n  location / {\n    proxy_pass http://app:3000;\n    proxy_set_header X-Forwarded-Proto {{ scheme }};\n  }\n}\n",
    );
    const fixed = fixedCopy(config, [
      {
        bug: "B1",
        cause: "",
        where: null,
        fix: [],
        fixIn: "config",
        edits: [
          { at: { file: "tpl.conf", line: 5 }, after: "proxy_set_header", find: "scheme", replace: "$scheme", why: "" },
        ],
      },
    ]);
    assert.match(fixed.files[0]!.text, /^ {4}proxy_set_header X-Forwarded-Proto \$scheme;$/m);
  });

  it("nginx: a proxy_pass through a variable reaches the names its set and map values hold", () => {
    const text =
      'map $request_method $pass {\n  default "http://ui:1234";\n  "POST" "http://api:8536";\n}\nserver {\n  listen 80;\n  resolver 127.0.0.11;\n  set $api "api:8536";\n  set $local 127.0.0.1:3000;\n  location / { proxy_pass $pass; }\n  location /api { proxy_pass http://$api$request_uri; }\n  location /l { proxy_pass http://$local; }\n}\n';
    const { config, copy } = prepared("site.conf", text);
    assert.deepEqual(
      config.facts.upstreams.map((u) => `${u.host}:${u.port} ${u.reach} ${u.at.line}`),
      ["ui:1234 name 2", "api:8536 name 3", "api:8536 name 8"],
    );
    // An address a variable holds is left as written: a name in its place would need a resolver.
    assert.match(copy, /set \$local 127\.0\.0\.1:3000;/);
  });
});
