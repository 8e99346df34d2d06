import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { EVERY_VERSION_VARIANTS } from "./nginx/versions";
import {
  configPath,
  getProject,
  listensOf,
  NGINX_VARIANTS_DIR,
  nginxVersionOf,
  OTHER_PROXY_VARIANTS_DIR,
  selectProjects,
} from "./projects";
import { VARIANT_NAMES, VARIANTS } from "./registry";

describe("variant registry and its projects", () => {
  it("has one entry per folder and one folder per entry", () => {
    const folders = (dir: string) =>
      readdirSync(dir)
        .filter((f) => statSync(path.join(dir, f)).isDirectory())
        .sort();
    assert.deepEqual(
      folders(NGINX_VARIANTS_DIR),
      VARIANTS.filter((v) => v.proxy === "nginx")
        .map((v) => v.name)
        .sort(),
    );
    assert.deepEqual(
      folders(OTHER_PROXY_VARIANTS_DIR),
      VARIANTS.filter((v) => v.proxy !== "nginx")
        .map((v) => v.name)
        .sort(),
    );
    for (const v of VARIANTS) assert.ok(existsSync(configPath(v)), `${configPath(v)} exists`);
  });

  it("each config opens with a header that says what is wrong and which field reports it reproduces", () => {
    for (const v of VARIANTS) {
      const text = readFileSync(configPath(v), "utf8");
      assert.match(text, new RegExp(`^# Variant: ${v.name.replace(".", "\\.")}\\n# What is wrong:`), v.name);
      for (const bug of v.reproduces) assert.ok(text.includes(bug), `${v.name} header names ${bug}`);
    }
  });

  it("every variant's config listens on a port the browser can reach", () => {
    for (const v of VARIANTS) assert.ok(listensOf(v).length > 0, `${v.name} listens nowhere`);
  });

  it("selects a subset from PROXY_VARIANTS and rejects unknown names, listing the valid ones", () => {
    assert.deepEqual(
      selectProjects(undefined).map((v) => v.name),
      VARIANTS.flatMap((v) =>
        (EVERY_VERSION_VARIANTS as readonly string[]).includes(v.name)
          ? [v.name, `${v.name}@1.26`, `${v.name}@1.30`]
          : [v.name],
      ),
    );
    assert.deepEqual(
      selectProjects(" fixed, http1.0-default@1.30 ").map((v) => v.name),
      ["fixed", "http1.0-default@1.30"],
    );
    assert.throws(
      () => selectProjects("fixed,fixd"),
      (err: Error) =>
        err.message.startsWith(
          `Unknown variant in PROXY_VARIANTS: fixd. Use one of: ${VARIANT_NAMES.join(", ")}, or <variant>@<version>`,
        ),
    );
    assert.throws(
      () => selectProjects("fixed@1.24"),
      /Unknown variant in PROXY_VARIANTS: fixed@1\.24\. .*1\.22, 1\.26, 1\.30/,
    );
  });

  it("runs any variant on any version, with the config for that version", () => {
    const fixed = getProject("fixed@1.30");
    assert.equal(nginxVersionOf(fixed), "1.30");
    assert.equal(path.basename(configPath(fixed)), "default.since-1.25.1.conf");
    assert.equal(path.basename(configPath(getProject("fixed@1.26"))), "default.since-1.25.1.conf");
    assert.equal(path.basename(configPath(getProject("fixed"))), "default.conf");
    assert.equal(path.basename(configPath(getProject("missing-upgrade@1.30"))), "default.conf");
  });

  it("has since-<version> configs that differ from default.conf only in what that version changed", () => {
    for (const v of VARIANTS.filter((v) => v.proxy === "nginx")) {
      const folder = path.join(NGINX_VARIANTS_DIR, v.name);
      for (const f of readdirSync(folder).filter((f) => /^default\.since-/.test(f))) {
        const strip = (t: string) =>
          t
            .split("\n")
            .filter((l) => !l.startsWith("#"))
            .join("\n");
        const base = strip(readFileSync(path.join(folder, "default.conf"), "utf8"));
        const since = strip(readFileSync(path.join(folder, f), "utf8"));
        assert.equal(
          since.replace("    listen 443 ssl;\n    http2 on;\n", "    listen 443 ssl http2;\n"),
          base,
          `${v.name}/${f}`,
        );
      }
    }
  });
});
