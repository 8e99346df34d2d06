import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PROXY_KINDS, type ProxyKindName } from "./kinds";

const listens = (kind: ProxyKindName, text: string) => {
  const k = PROXY_KINDS[kind];
  return k.listens(k.parse(text, "t.conf")).map((l) => `${l.port}${l.tls ? "/tls" : ""}`);
};

// Every port a config listens on is published as it is: each kind's reading of its own syntax.
describe("the ports a config listens on", () => {
  it("nginx: listen forms, `ssl on;`, no listen at all, quic and unix sockets", () => {
    assert.deepEqual(listens("nginx", "server { listen 80; listen [::]:80; listen 443 ssl http2; }"), [
      "80",
      "443/tls",
    ]);
    assert.deepEqual(
      listens("nginx", "server { listen 127.0.0.1:8443 ssl; listen unix:/run/x.sock; listen 443 quic; }"),
      ["8443/tls"],
    );
    assert.deepEqual(listens("nginx", "server { listen 443; ssl on; }"), ["443/tls"]);
    assert.deepEqual(listens("nginx", "server { server_name a; }"), ["80"]);
    assert.deepEqual(listens("nginx", "upstream u { server app:80; }"), []);
  });

  it("Apache: VirtualHost addresses (TLS with SSLEngine on) and Listen lines", () => {
    assert.deepEqual(
      listens("apache", "<VirtualHost *:80>\n</VirtualHost>\n<VirtualHost *:443>\n  SSLEngine on\n</VirtualHost>"),
      ["80", "443/tls"],
    );
    assert.deepEqual(
      listens("apache", "Listen 8443 https\n<VirtualHost _default_:8443>\nSSLEngine On\n</VirtualHost>"),
      ["8443/tls"],
    );
  });

  it("HAProxy: bind lines (TLS with ssl), address lists and the listen section's own address", () => {
    assert.deepEqual(
      listens(
        "haproxy",
        "frontend www\n  bind :80\n  bind *:443,:::8443 ssl crt /x.pem alpn h2\nbackend b\n  server s app:80",
      ),
      ["80", "443/tls", "8443/tls"],
    );
    assert.deepEqual(listens("haproxy", "listen app 0.0.0.0:8888\n  mode http"), ["8888"]);
  });

  it("Caddy: site addresses, schemes, bare ports, auto_https off and explicit tls", () => {
    assert.deepEqual(listens("caddy", "app.test {\n\treverse_proxy app:80\n}"), ["443/tls"]);
    assert.deepEqual(listens("caddy", "http://app.test, https://app.test:8443 {\n\treverse_proxy app:80\n}"), [
      "80",
      "8443/tls",
    ]);
    assert.deepEqual(listens("caddy", ":8080 {\n\trespond ok\n}"), ["8080"]);
    assert.deepEqual(listens("caddy", "{\n\tauto_https off\n}\napp.test:443 {\n\ttls /c.crt /c.key\n}\n:9000 {\n}"), [
      "443/tls",
      "9000",
    ]);
    assert.deepEqual(listens("caddy", "localhost\nreverse_proxy app:80"), ["443/tls"]);
  });

  it("says where a config cannot be read, with the line", () => {
    assert.throws(
      () => listens("nginx", "server {\n  listen 80;\n"),
      /t\.conf:1: the "server" block opened here is never closed/,
    );
    assert.throws(() => listens("nginx", "server { listen 80 }"), /a ";" is missing/);
    assert.throws(
      () => listens("apache", "<VirtualHost *:80>\n</Location>"),
      /t\.conf:2: <\/Location> closes <VirtualHost> opened at line 1/,
    );
    assert.throws(() => listens("haproxy", "  bind :80"), /t\.conf:1: "bind" outside any section/);
    assert.throws(() => listens("caddy", "app.test {\n}\n}"), /t\.conf:3: unexpected "}"/);
  });

  it("reads a Caddyfile's blocks left open at the end as closed there, as `caddy validate` (2.6) does", () => {
    assert.deepEqual(listens("caddy", "app.test {\n\treverse_proxy app:80 {\n}"), ["443/tls"]);
  });
});
