import { splitEngine } from "../lib/browsers";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { getProject, topologyOf } from "../proxies/projects";
import { VARIANT_NAMES, VARIANTS, type VariantEntry } from "../proxies/registry";
import { diagnoseBySymptom, mismatches } from "./expectation-check";
import { BEHIND_EDGE_SCENARIOS, topologyOfScenario } from "./observations";
import {
  bugsShown,
  EXPECTATIONS,
  expectationFor,
  HEALTHY,
  SCENARIO_NAMES,
  TABLE_SCENARIOS,
  versionRowScenarios,
  type Bound,
  type Expectation,
} from "./expectations";

describe("expectations table", () => {
  it("has exactly one row per variant held to the table in every scenario (plus <variant>@<version> overrides)", () => {
    for (const scenario of TABLE_SCENARIOS) {
      const topology = topologyOfScenario(scenario);
      // The behind-edge topology runs some single-origin scenarios, and its own (docs/edge.md).
      const behindEdge = (BEHIND_EDGE_SCENARIOS as readonly string[]).includes(scenario);
      const tableVariants = (VARIANTS as readonly VariantEntry[])
        .filter(
          (v) =>
            (scenario !== "client-address" && topologyOf(v) === topology) ||
            (behindEdge && topologyOf(v) === "behind-edge"),
        )
        .map((v) => v.name);
      const keys = Object.keys(EXPECTATIONS[scenario]);
      assert.deepEqual(keys.filter((k) => !k.includes("@")).sort(), [...tableVariants].sort(), scenario);
      for (const k of keys.filter((k) => k.includes("@")))
        assert.doesNotThrow(
          () => getProject(splitEngine(k).project),
          `${scenario}: row ${k} names a variant, and a version or an engine`,
        );
    }
  });

  it("every row asserts something, and every diagnosis quotes a fix", () => {
    for (const scenario of TABLE_SCENARIOS) {
      for (const [variant, row] of Object.entries(EXPECTATIONS[scenario])) {
        const asserted = Object.keys(row.must).length + Object.keys(row.bounds ?? {}).length;
        assert.ok(asserted > 0, `${scenario}/${variant} must assert at least one field`);
        if (row.diagnosis) assert.ok(row.diagnosis.fix.length > 0, `${scenario}/${variant} quotes a fix`);
      }
    }
  });

  it("a diagnosis whose fix is in the config only names bugs its variant's registry entry says it reproduces", () => {
    for (const v of VARIANTS as readonly VariantEntry[]) {
      for (const scenario of TABLE_SCENARIOS) {
        const rows = EXPECTATIONS[scenario] as Record<string, Expectation<object>>;
        for (const [name, row] of Object.entries(rows).filter(([n]) => n === v.name || n.startsWith(`${v.name}@`))) {
          const d = row.diagnosis;
          if (d && (d.fixIn ?? "config") === "config")
            assert.ok((v.reproduces as readonly string[]).includes(d.bug), `${scenario}/${name} diagnoses ${d.bug}`);
        }
      }
    }
  });

  it("a column claims only the reports its rows show: nginx 1.30 streams what 1.22 batched (B11)", () => {
    assert.ok(bugsShown(getProject("http1.0-default")).includes("B11"));
    assert.equal(expectationFor("sse-timing", "http1.0-default").diagnosis?.bug, "B11");
    assert.equal(expectationFor("sse-timing", "http1.0-default@1.30").diagnosis, undefined);
    assert.ok(bugsShown(getProject("http1.0-default@1.30")).includes("B6"));
    assert.deepEqual(bugsShown(getProject("fixed@1.30")), []);
    assert.deepEqual(bugsShown(getProject("fixed")), []);
    assert.deepEqual(versionRowScenarios("http1.0-default@1.30").sort(), [
      "sockjs-chat",
      "sse-open-latency",
      "sse-timing",
    ]);
    assert.deepEqual(versionRowScenarios("fixed@1.26"), ["sse-open-latency"]);
    assert.deepEqual(versionRowScenarios("fixed"), []);
  });

  it("the fixed variant has nothing to fix in its config (only a release's own behaviour, with the app-side way round it)", () => {
    for (const scenario of TABLE_SCENARIOS.filter((s) => !s.startsWith("split-"))) {
      const rows = EXPECTATIONS[scenario] as Record<string, Expectation<object>>;
      for (const name of Object.keys(rows).filter((n) => n === "fixed" || n.startsWith("fixed@"))) {
        assert.notEqual(
          rows[name]!.diagnosis?.fixIn ?? (rows[name]!.diagnosis ? "config" : undefined),
          "config",
          `${scenario}/${name}`,
        );
      }
    }
  });

  it("unknown scenario or variant names throw and list the valid ones", () => {
    assert.throws(
      () => expectationFor("oauth-login", "fixd"),
      (err: Error) =>
        err.message.includes(
          `No expectation for variant fixd in scenario oauth-login. Known variants: ${VARIANT_NAMES.join(", ")}.`,
        ),
    );
    assert.throws(
      () => expectationFor("nope" as "oauth-login", "fixed"),
      new RegExp(`Unknown scenario: nope\\. Use one of: ${SCENARIO_NAMES.join(", ")}\\.`),
    );
  });

  it("asserts each scenario in exactly one spec file, and every spec file asserts one", () => {
    const specs = readdirSync(__dirname).filter((f) => f.endsWith(".spec.ts"));
    const text = Object.fromEntries(specs.map((f) => [f, readFileSync(path.join(__dirname, f), "utf8")]));
    for (const scenario of SCENARIO_NAMES) {
      const holders = specs.filter((f) => text[f]!.includes(`"${scenario}"`));
      assert.equal(holders.length, 1, `${scenario} is named in ${holders.join(", ") || "no spec file"}`);
    }
    for (const f of specs)
      assert.ok(
        SCENARIO_NAMES.some((s) => text[f]!.includes(`"${s}"`)),
        `${f} asserts a scenario of the table`,
      );
  });
});

describe("healthy rows and diagnosis by symptom", () => {
  const contradicts = (a: Expectation<unknown>, b: Expectation<unknown>): boolean => {
    const am = a.must as Record<string, unknown>;
    const bm = b.must as Record<string, unknown>;
    if (Object.keys(am).some((k) => k in bm && JSON.stringify(am[k]) !== JSON.stringify(bm[k]))) return true;
    const ab = (a.bounds ?? {}) as Record<string, Bound>;
    const bb = (b.bounds ?? {}) as Record<string, Bound>;
    return Object.keys(ab).some((k) => {
      const x = ab[k]!;
      const y = bb[k];
      if (!y) return false;
      return (
        (x.min !== undefined && y.max !== undefined && x.min > y.max) ||
        (y.min !== undefined && x.max !== undefined && y.min > x.max)
      );
    });
  };

  it("a diagnosed row can never match a healthy observation, so a healthy config is never diagnosed", () => {
    for (const scenario of TABLE_SCENARIOS) {
      for (const [variant, row] of Object.entries(EXPECTATIONS[scenario])) {
        if (row.diagnosis)
          assert.ok(
            contradicts(row as Expectation<unknown>, HEALTHY[scenario] as Expectation<unknown>),
            `${scenario}/${variant} overlaps HEALTHY`,
          );
      }
    }
  });

  it("an undiagnosed row never contradicts HEALTHY (the variant works there)", () => {
    for (const scenario of TABLE_SCENARIOS) {
      for (const [variant, row] of Object.entries(EXPECTATIONS[scenario])) {
        if (!row.diagnosis)
          assert.ok(
            !contradicts(row as Expectation<unknown>, HEALTHY[scenario] as Expectation<unknown>),
            `${scenario}/${variant}`,
          );
      }
    }
  });

  it("finds the known failure an observation shows, with its fix", () => {
    const seen = {
      opened: false,
      echoed: false,
      closeCode: 1006,
      handshakeStatus: 426,
      statusLine: null,
      pageProtocol: "h2",
      consoleError: "x",
    };
    const d = diagnoseBySymptom("websocket-raw", seen);
    assert.equal(d?.bug, "B6");
    assert.ok(d?.fix.some((line) => line.includes("Upgrade $http_upgrade")));
    assert.equal(
      diagnoseBySymptom("websocket-raw", {
        ...seen,
        opened: true,
        echoed: true,
        closeCode: 1000,
        handshakeStatus: 101,
      }),
      null,
    );
    assert.deepEqual(mismatches({ must: { closeCode: 1000 }, bounds: { handshakeStatus: { max: 200 } } }, seen), [
      "closeCode: expected 1000, observed 1006",
      "handshakeStatus: expected ≤ 200, observed 426",
    ]);
  });
});
