import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RESULTS_DIR } from "../../lib/results";
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
  diagnosis: { bug: string; why: string; faults?: Fault[]; fix: string[] } | null;
  problems: string[];
}

/** A user config's cells: its one column, or its column on each nginx version of the sweep (`<name>@<version>`). */
export function readCells(variant: string): MatrixCell[] {
  const file = path.join(RESULTS, "matrix.json");
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, "utf8")) as { cells: MatrixCell[] }).cells.filter(
    (c) =>
      c.variant === variant ||
      (c.variant.startsWith(`${variant}@`) && !c.variant.slice(variant.length + 1).includes("@")),
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

/**
 * Writes the smallest corrected copy of the user's config next to the report (test-results/<name>.fixed<ext>, a
 * directory for a directory, a dump for `nginx -T` output) and its diff (<name>.fix.diff). The user's files are
 * read, never written. Returns null when no broken cell has a cause the config can fix.
 */
export function writeFixedCopy(
  config: PreparedConfig,
  input: string,
  cells: readonly MatrixCell[],
): { path: string; diffPath: string; diff: string; faults: Fault[] } | null {
  const faults = cells.flatMap((c) => (c.healthy === false ? (c.diagnosis?.faults ?? []) : []));
  const fixed = fixedCopy(config, faults);
  if (fixed.edits === 0) return null;
  mkdirSync(RESULTS, { recursive: true });
  const base = path.basename(input);
  let out: string;
  if (config.input === "directory") {
    out = path.join(RESULTS, `${base}.fixed`);
    rmSync(out, { recursive: true, force: true });
    for (const f of fixed.files) {
      const target = path.join(out, path.relative(config.shown, f.shown));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, f.text);
    }
  } else if (fixed.files.length > 1) {
    // `nginx -T` output: the same dump, each file after its own line, as nginx prints it.
    out = path.join(RESULTS, withSuffix(base, "fixed"));
    writeFileSync(out, fixed.files.map((f) => `# configuration file ${f.target}:\n${f.text}`).join("\n"));
  } else {
    out = path.join(RESULTS, withSuffix(base, "fixed"));
    writeFileSync(out, fixed.files[0]!.text);
  }
  const stem = config.input === "directory" ? base : base.slice(0, base.length - path.extname(base).length) || base;
  const diffPath = path.join(RESULTS, `${stem}.fix.diff`);
  writeFileSync(diffPath, fixed.diff);
  return { path: out, diffPath, diff: fixed.diff, faults };
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
export function beforeAfter(before: readonly MatrixCell[], after: readonly MatrixCell[]): string[] {
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
  const lines = ["[repro] before → after the fix:"];
  for (const r of rows) lines.push(`    ${r.label.padEnd(width)}${r.text}`);
  for (const a of after.filter((c) => c.healthy === false || c.state === "error")) {
    const config = (a.diagnosis?.faults ?? []).filter((f) => f.fixIn === "config");
    const why = a.diagnosis
      ? config.length
        ? config.map((f) => f.cause).join(" ")
        : `${a.diagnosis.why} The fix is not in the proxy config: ${(a.diagnosis.faults ?? []).map((f) => f.fix.join(" ")).join(" ") || a.diagnosis.fix.join(" ")}`
      : (a.problems[0]?.split("\n")[0] ?? "no diagnosis");
    lines.push(`[repro] still not healthy on the corrected copy: ${a.scenario}: ${why}`);
  }
  return lines;
}
