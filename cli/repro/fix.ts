import type { Level } from "../../scenarios/levels";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RESULTS_DIR } from "../../lib/results";
import { unifiedDiff } from "../../proxies/adapt";
import { fixedCopy, type Fault } from "../../proxies/faults";
import type { PreparedConfig } from "../../proxies/prepare";
import { SCENARIO_NAMES } from "../../scenarios/expectations";

const RESULTS = RESULTS_DIR;

/** A cell of test-results/matrix.json, as far as --fix reads it. */
export interface MatrixCell {
  scenario: string;
  variant: string;
  state: string;
  healthy: boolean | null;
  diagnosis: {
    bug: string;
    why: string;
    faults?: Fault[];
    fix: string[];
    level?: Level;
    levelWhy?: string;
    limit?: string;
  } | null;
  problems: string[];
}

/** A user config's cells: its one column, or its column on each nginx version of the sweep (`<name>@<version>`). */
export function readCells(variant: string): MatrixCell[] {
  const file = path.join(RESULTS, "matrix.json");
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, "utf8")) as { cells: MatrixCell[] }).cells.filter(
    (c) =>
      c.variant === variant ||
      // Its versions (`name@1.26`) and engines (`name@firefox`, `name@1.26@firefox`), not another config's.
      (c.variant.startsWith(`${variant}@`) && /^[^@]+(@firefox)?$/.test(c.variant.slice(variant.length + 1))),
  );
}

/** The first run's reports, kept beside the second's: test-results/before-fix/. */
export function keepFirstReports(): void {
  const dir = path.join(RESULTS, "before-fix");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of ["matrix.json", "matrix.html", "matrix.md"])
    if (existsSync(path.join(RESULTS, f))) cpSync(path.join(RESULTS, f), path.join(dir, f));
}

const withSuffix = (name: string, suffix: string) => {
  const ext = path.extname(name);
  return ext ? `${name.slice(0, -ext.length)}.${suffix}${ext}` : `${name}.${suffix}`;
};

/** Where a corrected copy goes: `<name>.<suffix><ext>` (a directory for a directory) under `dir`. */
export function copyPath(config: PreparedConfig, input: string, suffix: string, dir = RESULTS): string {
  const base = path.basename(input);
  return config.input === "directory" ? path.join(dir, `${base}.${suffix}`) : path.join(dir, withSuffix(base, suffix));
}

/**
 * Writes a config's files where `out` says, in the shape it was given: a directory for a directory, a dump for
 * `nginx -T` output (each file after its own line, as nginx prints it), else the one file.
 */
export function writeCopy(config: PreparedConfig, files: PreparedConfig["original"], out: string): string {
  mkdirSync(path.dirname(out), { recursive: true });
  if (config.input === "directory") {
    rmSync(out, { recursive: true, force: true });
    for (const f of files) {
      const target = path.join(out, path.relative(config.shown, f.shown));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, f.text);
    }
  } else if (files.length > 1) {
    writeFileSync(out, files.map((f) => `# configuration file ${f.target}:\n${f.text}`).join("\n"));
  } else writeFileSync(out, files[0]!.text);
  return out;
}

/**
 * The next corrected copy of the config that ran: every config-side fault of its broken cells whose lines are in
 * its own files (a chain's edge and inner config each get theirs), fixed on those files: the user's, or the last
 * round's copy. Null when none has a cause this config can fix. `bugs`: the field reports this copy fixes.
 */
export function nextCopy(
  config: PreparedConfig,
  cells: readonly MatrixCell[],
): { files: PreparedConfig["original"]; faults: Fault[]; bugs: string[] } | null {
  const own = new Set(config.original.map((f) => f.shown));
  const faults = cells
    .flatMap((c) => (c.healthy === false ? (c.diagnosis?.faults ?? []) : []))
    .map((f) => ({ ...f, edits: f.edits.filter((e) => own.has(e.at.file)) }));
  const fixed = fixedCopy(config, faults);
  // Edits that change nothing (the line already says what the fix would): no copy to run.
  if (fixed.edits === 0 || fixed.files.every((f, i) => f.text === config.original[i]!.text)) return null;
  const bugs = [...new Set(faults.filter((f) => f.fixIn === "config" && f.edits.length > 0).map((f) => f.bug))].sort(
    (a, b) => Number(a.slice(1)) - Number(b.slice(1)),
  );
  return { files: fixed.files, faults, bugs };
}

/** The diff from the user's files to a copy's, per file, the user's paths on both sides. */
export function diffFrom(original: PreparedConfig["original"], files: PreparedConfig["original"]): string {
  return files
    .map((f, i) =>
      f.text === original[i]!.text ? "" : unifiedDiff(original[i]!.text, f.text, original[i]!.shown, "fixed"),
    )
    .join("");
}

const verdictOf = (c: MatrixCell | undefined) =>
  !c
    ? "not run"
    : c.state === "skipped"
      ? "not checked"
      : c.healthy
        ? "healthy"
        : c.state === "error"
          ? "error"
          : `broken${c.diagnosis ? ` (${c.diagnosis.bug})` : ""}`;

/** Before and after the fix, per scenario, and what still fails on the corrected copy and why. */
export function beforeAfter(before: readonly MatrixCell[], after: readonly MatrixCell[], label = "the fix"): string[] {
  const order = SCENARIO_NAMES as readonly string[];
  const scenarios = [...new Set([...before, ...after].map((c) => c.scenario))].sort(
    (a, b) => order.indexOf(a) - order.indexOf(b),
  );
  // With the nginx version sweep, a row per version where the versions' rows differ.
  const versionOf = (c: MatrixCell) => /@([\d.]+)$/.exec(c.variant)?.[1] ?? "";
  const versions = [...new Set([...before, ...after].map(versionOf))].sort();
  const rows = scenarios.flatMap((s) => {
    const per = versions.map((v) => {
      const b = before.find((c) => c.scenario === s && versionOf(c) === v);
      const a = after.find((c) => c.scenario === s && versionOf(c) === v);
      return { v, text: `${verdictOf(b).padEnd(16)} → ${verdictOf(a)}` };
    });
    return new Set(per.map((p) => p.text)).size <= 1
      ? [{ label: s, text: per[0]?.text ?? "" }]
      : per.map((p) => ({ label: `${s} (nginx ${p.v})`, text: p.text }));
  });
  const width = Math.max(...rows.map((r) => r.label.length)) + 2;
  const lines = [`[repro] before → after ${label}:`];
  for (const r of rows) lines.push(`    ${r.label.padEnd(width)}${r.text}`);
  return lines;
}

const versionOfCell = (c: MatrixCell) => /@([\d.]+)$/.exec(c.variant)?.[1] ?? "";

/** Cells healthy in one run and broken in the next (same scenario, same nginx version): what a round's fixes unmasked. */
export function unmasked(before: readonly MatrixCell[], after: readonly MatrixCell[]): MatrixCell[] {
  return after.filter(
    (a) =>
      a.healthy === false &&
      before.some((b) => b.scenario === a.scenario && versionOfCell(b) === versionOfCell(a) && b.healthy === true),
  );
}

/**
 * Per scenario still broken after the last round: the nginx versions it is healthy on, and the causes left where it
 * is not (a version's, the app's): "healthy on nginx 1.26 and 1.30; on 1.22 this remains: …".
 */
export function remaining(after: readonly MatrixCell[]): string[] {
  const out: string[] = [];
  for (const scenario of [...new Set(after.filter((c) => c.healthy === false).map((c) => c.scenario))]) {
    const cells = after.filter((c) => c.scenario === scenario);
    const healthyOn = cells
      .filter((c) => c.healthy === true)
      .map(versionOfCell)
      .filter(Boolean);
    const broken = cells.filter((c) => c.healthy === false);
    const causes = [
      ...new Set(
        broken.flatMap((c) =>
          (c.diagnosis?.faults ?? []).map(
            (f) =>
              `${f.fixIn === "config" ? "" : `from the ${f.fixIn === "version" ? "proxy's version" : "app"}: `}${f.cause}`,
          ),
        ),
      ),
    ];
    const where = broken.map(versionOfCell).filter(Boolean);
    out.push(
      `${scenario}${broken[0]?.diagnosis ? ` (${broken[0].diagnosis.bug})` : ""}: ${healthyOn.length ? `healthy on nginx ${healthyOn.join(" and ")}; ` : ""}${where.length ? `on ${where.join(" and ")} ` : ""}this remains: ${causes.join(" ") || broken[0]?.diagnosis?.why || broken[0]?.problems[0]?.split("\n")[0] || "no diagnosis"}`,
    );
  }
  return out;
}
