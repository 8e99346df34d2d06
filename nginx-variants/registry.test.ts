import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { BUGS } from "../lib/bugs";
import { configPath, selectVariants, VARIANT_NAMES, VARIANTS, VARIANTS_DIR } from "./index";

describe("nginx variant registry", () => {
  it("has one entry per folder and one folder per entry", () => {
    const folders = readdirSync(VARIANTS_DIR).filter((f) => statSync(path.join(VARIANTS_DIR, f)).isDirectory());
    assert.deepEqual([...folders].sort(), [...VARIANT_NAMES].sort());
    for (const v of VARIANTS) assert.ok(existsSync(configPath(v)), `${configPath(v)} exists`);
  });

  it("each config opens with a header that says what is wrong and which field reports it reproduces", () => {
    for (const v of VARIANTS) {
      const text = readFileSync(configPath(v), "utf8");
      assert.match(text, new RegExp(`^# Variant: ${v.name.replace(".", "\\.")}\\n# What is wrong:`), v.name);
      for (const bug of v.reproduces) assert.ok(text.includes(bug), `${v.name} header names ${bug}`);
      for (const bug of v.reproduces) assert.ok(bug in BUGS);
    }
  });

  it("listens where its scheme says (the harness publishes that port)", () => {
    for (const v of VARIANTS) {
      const text = readFileSync(configPath(v), "utf8");
      if (v.scheme === "https") assert.match(text, /^\s*listen 443 ssl\b/m, v.name);
      else assert.match(text, /^\s*listen 80;/m, v.name);
    }
  });

  it("selects a subset from PROXY_VARIANTS and rejects unknown names, listing the valid ones", () => {
    assert.deepEqual(selectVariants(undefined).map((v) => v.name), VARIANT_NAMES);
    assert.deepEqual(selectVariants(" fixed, http1.0-default ").map((v) => v.name), ["fixed", "http1.0-default"]);
    assert.throws(() => selectVariants("fixed,fixd"), (err: Error) => err.message === `Unknown variant in PROXY_VARIANTS: fixd. Use one of: ${VARIANT_NAMES.join(", ")}.`);
  });
});
