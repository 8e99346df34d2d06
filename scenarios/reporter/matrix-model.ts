import { engineProjectName, splitEngine } from "../../lib/browsers";
import type { Diagnosis } from "../expectation-check";
import { topologyOfScenario } from "../observations";
import { headline } from "./headlines";
import type { ObservationRecord } from "./observation-record";

/** Playwright project metadata set by playwright.config.ts for each variant (it travels in blob reports). */
export interface VariantMeta {
  name: string;
  proxy: string;
  /** "single-origin" or "split-origin": each topology has its own scenarios, and its own table in the report. */
  topology?: string;
  scheme: string;
  /** Where the browser meets the stack, e.g. https://app.test (a production URL: standard ports). */
  url?: string;
  summary: string;
  /** The field reports its cells show (diagnosed in its rows). */
  reproduces: readonly string[];
  /** Reports its config was written for that this proxy or version does not show (measured). */
  notShown?: readonly string[];
  expects: "table" | "healthy" | "verdicts";
  /** The browser engine of this column: the same stack as its Chromium column, seen by Firefox (`<name>@firefox`). */
  engine?: "chromium" | "firefox";
  /** Scenarios where the table has a row for this `<variant>@<version>` of its own (the version changes them). */
  versionRows?: readonly string[];
}

export interface VariantColumn extends VariantMeta {
  /** e.g. "nginx/1.22.1", read by the stack at start. */
  proxyVersion: string | null;
  stackStartS: number | null;
  cellsPlanned: number;
  cellsDone: number;
}

export type CellState = "works" | "broken-as-expected" | "unexpected" | "error" | "skipped" | "not-run";

export interface Cell {
  scenario: string;
  variant: string;
  state: CellState;
  /** Observed figures, [label, value]. */
  observed: Array<[string, string]>;
  diagnosis: Diagnosis | null;
  /** Why it is unexpected: field-by-field differences, or the test's own error. */
  problems: string[];
  durationMs: number;
  timelineSvg: string | null;
  /** Health for a user's config: the feature works. */
  healthy: boolean | null;
}

export interface Matrix {
  title: string;
  variants: VariantColumn[];
  scenarios: string[];
  cells: Map<string, Cell>;
  startedAt: Date;
  durationMs: number;
}

export const cellKey = (scenario: string, variant: string) => `${scenario}\u0000${variant}`;

export interface TestOutcome {
  scenario: string;
  variant: string;
  status: "passed" | "failed" | "timedOut" | "skipped" | "interrupted";
  record: ObservationRecord | null;
  error: string | null;
  durationMs: number;
  timelineSvg: string | null;
}

export function cellOf(outcome: TestOutcome): Cell {
  const { record } = outcome;
  const base = {
    scenario: outcome.scenario,
    variant: outcome.variant,
    observed: record ? headline(outcome.scenario, record.observation) : [],
    diagnosis: record?.diagnosis ?? null,
    durationMs: outcome.durationMs,
    timelineSvg: outcome.timelineSvg,
    healthy: record?.healthy ?? null,
  };
  if (outcome.status === "skipped") return { ...base, state: "skipped", problems: [] };
  if (outcome.status === "interrupted" && !record) return { ...base, state: "not-run", problems: [] };
  if (!record)
    return {
      ...base,
      state: "error",
      problems: [outcome.error ?? `test ${outcome.status} before it observed anything`],
    };
  if (!record.asExpected) return { ...base, state: "unexpected", problems: record.mismatches };
  // The observation matched, but the test failed afterwards (e.g. a timeout in cleanup).
  if (outcome.status !== "passed")
    return { ...base, state: "error", problems: [outcome.error ?? `test ${outcome.status}`] };
  return { ...base, state: record.healthy ? "works" : "broken-as-expected", problems: [] };
}

/** Short words for a cell, for the terminal and markdown. */
export function stateLabel(cell: Cell, expects: VariantMeta["expects"]): string {
  if (expects === "healthy" && (cell.state === "works" || cell.state === "unexpected")) {
    return cell.state === "works" ? "healthy" : `broken${cell.diagnosis ? ` (${cell.diagnosis.bug})` : ""}`;
  }
  switch (cell.state) {
    case "works":
      return "works, as expected";
    case "broken-as-expected":
      return `broken as expected${cell.diagnosis ? ` (${cell.diagnosis.bug})` : ""}`;
    case "unexpected":
      return "UNEXPECTED";
    case "error":
      return "ERROR";
    case "skipped":
      return "skipped";
    case "not-run":
      return "not run";
  }
}

export function counts(matrix: Matrix): Record<CellState, number> {
  const out: Record<CellState, number> = {
    works: 0,
    "broken-as-expected": 0,
    unexpected: 0,
    error: 0,
    skipped: 0,
    "not-run": 0,
  };
  for (const c of matrix.cells.values()) out[c.state]++;
  return out;
}

/** The matrix as data, for scripts: test-results/matrix.json. */
export function matrixJson(m: Matrix, status: string) {
  return {
    title: m.title,
    status,
    startedAt: m.startedAt.toISOString(),
    durationMs: m.durationMs,
    counts: counts(m),
    variants: m.variants,
    cells: [...m.cells.values()].map(({ timelineSvg: _svg, ...cell }) => cell),
  };
}

export interface VersionDifference {
  scenario: string;
  /** The registry variant, e.g. "http1.0-default". */
  variant: string;
  /** Its columns on each version (`http1.0-default`, `http1.0-default@1.30`, …), with what each showed. */
  columns: Array<{
    column: string;
    proxyVersion: string | null;
    state: CellState;
    verdict: string;
    observed: Array<[string, string]>;
  }>;
}

const verdictOf = (cell: Cell) => `${cell.state}${cell.diagnosis ? ` ${cell.diagnosis.bug}` : ""}`;

/**
 * Where one variant's config behaves differently across nginx versions: the same scenario, a different state
 * (works / broken as expected, with its field report) or a different name or flag among its headline figures. The
 * finding users who
 * upgrade nginx want, so every report shows it beside the grid.
 */
export function versionDifferences(m: Matrix): VersionDifference[] {
  const groups = new Map<string, VariantColumn[]>();
  for (const v of m.variants) {
    // One group per variant and engine: `fixed@firefox` beside `fixed` is another engine, not another version.
    const { project, engine } = splitEngine(v.name);
    const base = engineProjectName(project.split("@")[0]!, engine);
    groups.set(base, [...(groups.get(base) ?? []), v]);
  }
  const out: VersionDifference[] = [];
  for (const [variant, columns] of groups) {
    if (columns.length < 2) continue;
    for (const scenario of m.scenarios) {
      const cells = columns
        .map((v) => ({ v, cell: m.cells.get(cellKey(scenario, v.name)) }))
        .filter((x): x is { v: VariantColumn; cell: Cell } => x.cell !== undefined);
      if (cells.length < 2) continue;
      // Compared: the state and the names and flags seen (transport, verdict, protocol), not times, counts or
      // URLs, which differ from run to run (ports, a few ms) without the version having changed anything.
      const signature = (c: Cell) =>
        JSON.stringify([
          verdictOf(c),
          c.observed.filter(([field, shown]) => !/(Ms|Uri|Url)$/.test(field) && !/^-?[\d.]+( ms)?$/.test(shown)),
        ]);
      // A version's own row in the table is a difference by definition, even one only in timing (fixed's
      // SSE open on nginx 1.22's HTTP/2 waits for the first event; on 1.26 it is at once).
      const tableSays = columns.some((v) => v.versionRows?.includes(scenario));
      if (!tableSays && new Set(cells.map(({ cell }) => signature(cell))).size < 2) continue;
      out.push({
        scenario,
        variant,
        columns: cells.map(({ v, cell }) => ({
          column: v.name,
          proxyVersion: v.proxyVersion,
          state: cell.state,
          verdict: verdictOf(cell),
          observed: cell.observed,
        })),
      });
    }
  }
  return out;
}

export interface TopologyGroup {
  topology: string;
  variants: VariantColumn[];
  /** The scenarios run on this topology's variants (all of the matrix's, before any cell has run). */
  scenarios: string[];
}

/** The report's tables: one per topology, each with its own columns and the scenarios that ran in them. */
export function topologyGroups(m: Matrix): TopologyGroup[] {
  const byTopology = new Map<string, VariantColumn[]>();
  for (const v of m.variants) {
    const t = v.topology ?? "single-origin";
    byTopology.set(t, [...(byTopology.get(t) ?? []), v]);
  }
  return [...byTopology].map(([topology, variants]) => {
    const ran = m.scenarios.filter((s) => variants.some((v) => m.cells.has(cellKey(s, v.name))));
    const belongs = (s: string) => topologyOfScenario(s) === topology;
    return { topology, variants, scenarios: ran.length > 0 ? ran : m.scenarios.filter(belongs) };
  });
}
