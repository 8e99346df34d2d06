import { LEVEL_ORDER, levelOfCell } from "../levels";
import { faultPlace } from "./fault-lines";
import {
  cellKey,
  counts,
  stateLabel,
  topologyGroups,
  versionDifferences,
  type Cell,
  type Matrix,
} from "./matrix-model";

const ICON: Record<Cell["state"], string> = {
  works: "✅",
  "broken-as-expected": "🟧",
  unexpected: "❌",
  error: "❌",
  skipped: "⏭️",
  "not-run": "⬜",
};

const cellText = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The matrix as GitHub-flavoured markdown: a table of verdicts, then the diagnoses with their fixes. */
export function matrixMarkdown(m: Matrix): string {
  const c = counts(m);
  const out: string[] = [];
  out.push(`## ${m.title}`, "");
  out.push(
    `${m.variants.length} variants × ${m.scenarios.length} scenarios in ${(m.durationMs / 1000).toFixed(0)} s: ✅ ${c.works} work · 🟧 ${c["broken-as-expected"]} broken as expected · ❌ ${c.unexpected + c.error} unexpected or error`,
    "",
  );
  const groups = topologyGroups(m);
  for (const g of groups) {
    if (groups.length > 1) out.push(`### ${g.topology}`, "");
    out.push(
      `| scenario | ${g.variants.map((v) => `${v.name}${v.proxyVersion ? ` (${v.proxyVersion})` : ""}`).join(" | ")} |`,
    );
    out.push(`|---|${g.variants.map(() => "---").join("|")}|`);
    for (const s of g.scenarios) {
      const cells = g.variants.map((v) => {
        const cell = m.cells.get(cellKey(s, v.name));
        if (!cell) return "⬜ not run";
        const figures = cell.observed
          .slice(0, 3)
          .map(([k, val]) => `${k}=${val}`)
          .join(", ");
        return cellText(`${ICON[cell.state]} ${stateLabel(cell, v.expects)}${figures ? `<br>${figures}` : ""}`);
      });
      out.push(`| ${s} | ${cells.join(" | ")} |`);
    }
    out.push("");
  }
  const diffs = versionDifferences(m);
  if (diffs.length) {
    out.push("", "### Differences between nginx versions", "");
    for (const d of diffs) {
      out.push(`**${d.scenario} on ${d.variant}**`, "");
      for (const c of d.columns)
        out.push(
          `- ${c.column} (${c.proxyVersion ?? "?"}): ${c.verdict}${c.observed.length ? `; ${c.observed.map(([k, v]) => `${k}=${v}`).join(", ")}` : ""}`,
        );
      out.push("");
    }
  }
  // What breaks first, then limits, then notes (the job summary of the Action is this file).
  const notes = [...m.cells.values()]
    .filter((cell) => cell.diagnosis || cell.state === "unexpected" || cell.state === "error")
    .sort((a, b) => LEVEL_ORDER.indexOf(levelOfCell(a)) - LEVEL_ORDER.indexOf(levelOfCell(b)));
  if (notes.length) {
    out.push("", "### Diagnoses and problems", "");
    for (const cell of notes) {
      out.push(
        `**${cell.scenario} on ${cell.variant}**: ${ICON[cell.state]} ${cell.diagnosis ? `${cell.diagnosis.level ? `**${cell.diagnosis.level}** ` : ""}${cell.diagnosis.bug}, ${cell.diagnosis.title}` : cell.state}`,
        "",
      );
      if (cell.diagnosis?.levelWhy)
        out.push(
          `${cell.diagnosis.level}: ${cell.diagnosis.levelWhy}${cell.diagnosis.limit ? `; measured: ${cell.diagnosis.limit}` : ""}`,
          "",
        );
      if (cell.diagnosis) {
        out.push(cell.diagnosis.why, "");
        for (const f of cell.diagnosis.faults ?? []) out.push(`- ${f.cause}${f.where ? ` At ${faultPlace(f)}.` : ""}`);
        if (cell.diagnosis.faults?.length) out.push("");
        if (cell.diagnosis.fixDiff) out.push("```diff", cell.diagnosis.fixDiff.trimEnd(), "```", "");
        else out.push("```", ...cell.diagnosis.fix, "```", "");
      }
      for (const p of cell.problems) out.push(`- ${p.split("\n")[0]}`);
      if (cell.problems.length) out.push("");
    }
  }
  return out.join("\n") + "\n";
}
