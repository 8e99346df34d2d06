import { diagnosisLines } from "./fault-lines";
import { LEVEL_ORDER, levelOfCell, type Level } from "../levels";
import { cellKey, stateLabel, topologyGroups, versionDifferences, type Matrix } from "./matrix-model";
import { engineProjectName, splitEngine } from "../../lib/browsers";

const SYMBOL = {
  works: "ok",
  "broken-as-expected": "~",
  unexpected: "XX",
  error: "ERR",
  skipped: "-",
  "not-run": ".",
} as const;

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/**
 * The end-of-run summary for a terminal: a scenario × variant grid of short verdicts, then, for a user's
 * config (repro), each broken scenario with its diagnosis and fixing directives.
 */
export function matrixTerminal(m: Matrix): string {
  const lines: string[] = [];
  const first = Math.max(...m.scenarios.map((s) => s.length), 8) + 2;
  const width = (name: string) => Math.max(name.length, 12) + 2;
  for (const g of topologyGroups(m)) {
    if (lines.length > 0) lines.push("");
    lines.push(pad("", first) + g.variants.map((v) => pad(v.name, width(v.name))).join(""));
    for (const s of g.scenarios) {
      const row = g.variants.map((v) => {
        const cell = m.cells.get(cellKey(s, v.name));
        const text = !cell
          ? "."
          : cell.state === "broken-as-expected"
            ? `~${cell.diagnosis?.bug ?? ""}`
            : v.expects === "healthy" && cell.state === "unexpected"
              ? `BROKEN${cell.diagnosis ? ` ${cell.diagnosis.bug}` : ""}`
              : SYMBOL[cell.state];
        return pad(text, width(v.name));
      });
      lines.push(pad(s, first) + row.join(""));
    }
  }
  lines.push(
    "ok: works as expected · ~Bn: broken as expected (field report Bn) · XX: differs from the table · ERR: the test failed before observing",
  );

  const diffs = versionDifferences(m);
  if (diffs.length) lines.push("", "Differences between nginx versions:");
  for (const d of diffs) {
    lines.push(`  ${d.scenario} on ${d.variant}:`);
    for (const c of d.columns)
      lines.push(
        `    ${pad(c.column, 28)} ${pad(c.proxyVersion ?? "?", 14)} ${c.verdict}; ${c.observed.map(([k, v]) => `${k}=${v}`).join(", ")}`,
      );
  }

  // A user's config on several nginx versions (`site@1.22`, `site@1.26`…) is one diagnosis: a scenario broken the
  // same way on every version is said once, one that differs says on which versions.
  const userColumns = m.variants.filter((v) => v.expects === "healthy");
  const configs = new Map<string, typeof userColumns>();
  for (const v of userColumns) {
    // One diagnosis per config and engine: `site@1.26@firefox` is `site@firefox` on 1.26.
    const { project, engine } = splitEngine(v.name);
    const name = engineProjectName(project.replace(/@[\d.]+$/, ""), engine);
    configs.set(name, [...(configs.get(name) ?? []), v]);
  }
  for (const [name, columns] of configs) {
    const versions = columns
      .map((v) => /@([\d.]+)$/.exec(splitEngine(v.name).project)?.[1])
      .filter((x): x is string => !!x);
    const swept = versions.length === columns.length && columns.length > 1;
    lines.push(
      "",
      `Diagnosis for ${swept ? name : columns[0]!.name} (${columns[0]!.summary})${swept ? ` on nginx ${columns.map((c) => c.proxyVersion?.replace(/^nginx\//, "") ?? "?").join(", ")}` : ""}:`,
    );
    let any = false;
    // Findings by level: what breaks for every user first, then limits, then notes.
    const found: Array<{ level: Level | null; scenario: string; lines: string[] }> = [];
    for (const s of m.scenarios) {
      const cells = columns.map((v) => m.cells.get(cellKey(s, v.name)));
      const broken = cells.filter((c): c is NonNullable<typeof c> => !!c && c.state !== "works");
      if (broken.length === 0) continue;
      any = true;
      const verdict = (c: (typeof cells)[number]) => (c ? stateLabel(c, "healthy") : "not run");
      const same = new Set(cells.map(verdict)).size === 1;
      const shown = same ? [broken[0]!] : broken;
      for (const cell of shown) {
        const out: string[] = [];
        // A skipped or unrun cell is no finding: said, without a level, after the findings.
        const finding = cell.healthy === false || cell.state === "error";
        const level = levelOfCell(cell);
        const on = same
          ? ""
          : ` on nginx ${versions[cells.indexOf(cell)]} (${cells
              .map((c, i) => `${versions[i]}: ${verdict(c)}`)
              .filter((_, i) => cells[i] !== cell)
              .join("; ")})`;
        out.push(`  ${finding ? `[${level}] ` : ""}${cell.scenario}: ${stateLabel(cell, columns[0]!.expects)}${on}`);
        for (const [k, val] of cell.observed) out.push(`      observed ${k} = ${val}`);
        if (cell.diagnosis) {
          out.push(
            `    ${cell.diagnosis.bug}: ${cell.diagnosis.title}${cell.diagnosis.likeVariant ? ` (same symptom as the ${cell.diagnosis.likeVariant} variant)` : ""}`,
          );
          if (cell.diagnosis.levelWhy) out.push(`    ${level}: ${cell.diagnosis.levelWhy}`);
          if (cell.diagnosis.limit) out.push(`    measured: ${cell.diagnosis.limit}`);
          out.push(`    why: ${cell.diagnosis.why}`);
          out.push(...diagnosisLines(cell.diagnosis));
        } else {
          for (const p of cell.problems) out.push(`    ${p.split("\n")[0]}`);
        }
        found.push({ level: finding ? level : null, scenario: cell.scenario, lines: out });
      }
    }
    for (const level of [...LEVEL_ORDER, null])
      for (const f of found.filter((x) => x.level === level)) lines.push(...f.lines);
    if (found.some((f) => f.level)) {
      // One finding per scenario, however many nginx versions show it (as the exit line counts).
      const n = (l: Level) => new Set(found.filter((f) => f.level === l).map((f) => f.scenario)).size;
      lines.push(
        `  ${n("breaks")} break${n("breaks") === 1 ? "" : "s"}, ${n("limit")} limit${n("limit") === 1 ? "" : "s"}, ${n("note")} note${n("note") === 1 ? "" : "s"}.`,
      );
    }
    if (!any) lines.push(`  every scenario is healthy${swept ? " on every version" : ""}.`);
  }
  lines.push(...tableDepartures(m));
  return lines.join("\n");
}

/**
 * The table's cells that differ from it or failed before observing, with what differed and what was seen: last,
 * so that the tail of a CI log, often all a reader gets, says why the run is red.
 */
function tableDepartures(m: Matrix): string[] {
  const cells = m.variants
    .filter((v) => v.expects !== "healthy")
    .flatMap((v) => m.scenarios.map((s) => m.cells.get(cellKey(s, v.name))))
    .filter((c) => c?.state === "unexpected" || c?.state === "error");
  if (cells.length === 0) return [];
  const lines = ["", `Differs from the table (${cells.length}):`];
  for (const cell of cells) {
    if (!cell) continue;
    lines.push(
      `  ${cell.scenario} on ${cell.variant}: ${cell.state === "error" ? "failed before observing" : "differs"}`,
    );
    for (const p of cell.problems.slice(0, 8)) lines.push(`    ${p.split("\n")[0]}`);
    if (cell.observed.length) lines.push(`    observed: ${cell.observed.map(([k, v]) => `${k}=${v}`).join(", ")}`);
  }
  return lines;
}
