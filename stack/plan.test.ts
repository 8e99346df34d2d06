import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatPublish, getProject, parsePublish } from "../proxies/projects";
import { planStack } from "./plan";

describe("stack plan", () => {
  it("publishes a mapped listen port on its public port: the browser's URL has the public one", () => {
    const plan = planStack(getProject("sub-path-port-mapped"), 3);
    assert.deepEqual(plan.entry, { scheme: "https", port: 443, listenPort: 8443 });
    assert.deepEqual(plan.listens, [{ port: 8443, tls: true, publicPort: 443 }]);
    assert.equal(plan.appUrl, "https://app.test");
    assert.equal(plan.base, "https://app.test/app");
  });

  it("reads --publish as docker -p writes it (public:listen), and refuses anything else", () => {
    assert.deepEqual(parsePublish("443:8443,80:8080"), { 8443: 443, 8080: 80 });
    assert.deepEqual(parsePublish(""), {});
    assert.throws(() => parsePublish("8443"), /docker -p/);
    assert.throws(() => parsePublish("443:99999"), /docker -p/);
  });

  it("writes a mapping back as docker -p does (what fix-check hands its copies)", () => {
    assert.equal(formatPublish({ 8443: 443, 8080: 80 }), "80:8080,443:8443");
  });
});
