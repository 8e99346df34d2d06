import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { publicOrigin } from "../src/app/public-url";

describe("publicOrigin, the way frameworks build it", () => {
  it("bare proxy_pass: Host is the upstream name and there is no X-Forwarded-Proto (field report B1)", () => {
    assert.equal(publicOrigin({ host: "app" }), "http://app");
  });
  it("Host $host drops the public port", () => {
    assert.equal(publicOrigin({ host: "app.test", "x-forwarded-proto": "https" }), "https://app.test");
  });
  it("Host $http_host keeps it", () => {
    assert.equal(publicOrigin({ host: "app.test:8443", "x-forwarded-proto": "https" }), "https://app.test:8443");
  });
  it("X-Forwarded-Host wins over Host, first value of a list", () => {
    assert.equal(
      publicOrigin({ host: "app", "x-forwarded-host": "app.test:8443, inner", "x-forwarded-proto": "https, http" }),
      "https://app.test:8443",
    );
  });
  it("X-Forwarded-Port is added when the host has none and it is not the default", () => {
    assert.equal(
      publicOrigin({ host: "app.test", "x-forwarded-proto": "https", "x-forwarded-port": "8443" }),
      "https://app.test:8443",
    );
    assert.equal(
      publicOrigin({ host: "app.test", "x-forwarded-proto": "https", "x-forwarded-port": "443" }),
      "https://app.test",
    );
  });
});
