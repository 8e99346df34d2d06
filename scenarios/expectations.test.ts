import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { BUGS } from "../lib/bugs";
import { VARIANT_NAMES, VARIANTS } from "../nginx-variants";
import { EXPECTATIONS, expectationFor, SCENARIO_NAMES } from "./expectations";

describe("expectations table", () => {
  it("has exactly one row per registered variant in every scenario", () => {
    for (const scenario of SCENARIO_NAMES) {
      assert.deepEqual(Object.keys(EXPECTATIONS[scenario]).sort(), [...VARIANT_NAMES].sort(), scenario);
    }
  });

  it("every row asserts something, and every diagnosis names a known bug and a fix", () => {
    for (const scenario of SCENARIO_NAMES) {
      for (const [variant, row] of Object.entries(EXPECTATIONS[scenario])) {
        const asserted = Object.keys(row.must).length + Object.keys(row.bounds ?? {}).length;
        assert.ok(asserted > 0, `${scenario}/${variant} must assert at least one field`);
        if (row.diagnosis) {
          assert.ok(row.diagnosis.bug in BUGS, `${scenario}/${variant}`);
          assert.ok(row.diagnosis.fix.length > 0, `${scenario}/${variant} quotes a fix`);
        }
      }
    }
  });

  it("a diagnosis only names bugs its variant's registry entry says it reproduces", () => {
    for (const v of VARIANTS) {
      for (const scenario of SCENARIO_NAMES) {
        const bug = EXPECTATIONS[scenario][v.name].diagnosis?.bug;
        if (bug) assert.ok((v.reproduces as readonly string[]).includes(bug), `${scenario}/${v.name} diagnoses ${bug}`);
      }
    }
  });

  it("the fixed variant expects every scenario to work (no diagnosis)", () => {
    for (const scenario of SCENARIO_NAMES) assert.equal(EXPECTATIONS[scenario].fixed.diagnosis, undefined);
  });

  it("unknown scenario or variant names throw and list the valid ones", () => {
    assert.throws(() => expectationFor("oauth-login", "fixd"), (err: Error) => err.message.includes(`No expectation for variant fixd in scenario oauth-login. Known variants: ${VARIANT_NAMES.join(", ")}.`));
    assert.throws(() => expectationFor("nope" as "oauth-login", "fixed"), new RegExp(`Unknown scenario: nope\\. Use one of: ${SCENARIO_NAMES.join(", ")}\\.`));
  });

  it("asserts each scenario in exactly one spec file, and every spec file asserts one", () => {
    const specs = readdirSync(__dirname).filter((f) => f.endsWith(".spec.ts"));
    const text = Object.fromEntries(specs.map((f) => [f, readFileSync(path.join(__dirname, f), "utf8")]));
    for (const scenario of SCENARIO_NAMES) {
      const holders = specs.filter((f) => text[f]!.includes(`"${scenario}"`));
      assert.equal(holders.length, 1, `${scenario} is named in ${holders.join(", ") || "no spec file"}`);
    }
    for (const f of specs) assert.ok(SCENARIO_NAMES.some((s) => text[f]!.includes(`"${s}"`)), `${f} asserts a scenario of the table`);
  });
});
