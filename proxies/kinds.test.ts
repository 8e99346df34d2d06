import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PROXY_KINDS } from "./kinds";

// Version lines as each product prints them (bookworm's packages, and nginx from trixie and sid).
describe("proxy kinds", () => {
  it("reads each product's version line", () => {
    assert.equal(PROXY_KINDS.nginx.version("nginx version: nginx/1.30.6\n"), "nginx/1.30.6");
    assert.equal(
      PROXY_KINDS.apache.version("Server version: Apache/2.4.62 (Debian)\nServer built:   2024-07-20\n"),
      "Apache/2.4.62",
    );
    assert.equal(
      PROXY_KINDS.haproxy.version("HAProxy version 2.6.12-1+deb12u1 2023/12/16 - https://haproxy.org/\n"),
      "HAProxy/2.6.12",
    );
    assert.equal(PROXY_KINDS.caddy.version("2.6.2\n"), "Caddy/2.6.2");
  });

  it("tells a warning from a clean check", () => {
    assert.match(
      'nginx: [warn] the "listen ... http2" directive is deprecated, use the "http2" directive instead',
      PROXY_KINDS.nginx.warning,
    );
    assert.doesNotMatch(
      "nginx: configuration file /etc/nginx/nginx.conf test is successful",
      PROXY_KINDS.nginx.warning,
    );
    assert.match("AH00112: Warning: DocumentRoot [/var/www/x] does not exist", PROXY_KINDS.apache.warning);
    assert.doesNotMatch("Syntax OK", PROXY_KINDS.apache.warning);
    assert.match("[WARNING]  (1) : config : missing timeouts for frontend 'www'.", PROXY_KINDS.haproxy.warning);
    assert.match('{"level":"warn","msg":"Caddyfile input is not formatted"}', PROXY_KINDS.caddy.warning);
  });
});
