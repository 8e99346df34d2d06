/**
 * SARIF 2.1.0 for code review: valid against the SARIF schema (the file shipped in @microsoft/jest-sarif, read
 * from node_modules: nothing is fetched), one result per unhealthy cell, at the config's line.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
// The SARIF schema is JSON Schema draft-04: Ajv's draft-04 build reads it.
import Ajv from "ajv-draft-04";
import { sarifLog, type SarifCell } from "./sarif";

const schema = JSON.parse(
  readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
) as Record<string, unknown>;

const cells: SarifCell[] = [
  { scenario: "random-uuid", variant: "mine", healthy: true, state: "works", diagnosis: null, problems: [] },
  {
    scenario: "oauth-login",
    variant: "mine",
    healthy: false,
    state: "unexpected",
    problems: [],
    diagnosis: {
      bug: "B1",
      why: "The app built its redirect_uri from what the proxy forwarded.",
      fix: ["# forward the scheme"],
      faults: [
        {
          bug: "B1",
          cause: "No X-Forwarded-Proto reaches the app at /login.",
          where: {
            how: "missing",
            site: { file: "conf/site.conf", line: 12, quote: "location / {" },
            block: "location /",
          },
          fix: ["proxy_set_header X-Forwarded-Proto $scheme;"],
          edits: [],
          fixIn: "config",
        },
      ],
    },
  },
  { scenario: "sse-timing", variant: "mine", healthy: false, state: "error", diagnosis: null, problems: ["Timeout"] },
];

describe("SARIF output", () => {
  const log = sarifLog(cells, "conf/site.conf", "0.1.0") as {
    runs: Array<{
      results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region?: { startLine: number } } }> }>;
    }>;
  };

  it("is valid SARIF 2.1.0", () => {
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    // The check can fail: a run without its tool is not SARIF.
    assert.equal(validate({ version: "2.1.0", runs: [{ results: [] }] }), false);
  });

  it("has one result per unhealthy cell: the field report as rule, the line of the cause as location", () => {
    const results = log.runs[0]!.results;
    assert.deepEqual(
      results.map((r) => r.ruleId),
      ["B1", "unknown"],
    );
    assert.equal(results[0]!.locations[0]!.physicalLocation.region?.startLine, 12);
    assert.match(JSON.stringify(results[0]), /proxy_set_header X-Forwarded-Proto \$scheme;/);
  });

  it("has one result for a finding seen on several nginx versions of one config, naming them", () => {
    const swept = ["1.22", "1.26", "1.30"].map((v) => ({ ...cells[1]!, variant: `mine@${v}` }));
    const results = (sarifLog(swept, "conf/site.conf", "0.1.0") as { runs: Array<{ results: unknown[] }> }).runs[0]!
      .results as Array<{
      message: { text: string };
    }>;
    assert.equal(results.length, 1);
    assert.match(results[0]!.message.text, /\(nginx 1\.22, 1\.26, 1\.30\)$/);
  });
});
