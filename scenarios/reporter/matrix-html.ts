import { faultPlace } from "./fault-lines";
import { BUGS } from "../../lib/bugs";
import {
  cellKey,
  counts,
  stateLabel,
  topologyGroups,
  versionDifferences,
  type Cell,
  type Matrix,
  type VariantColumn,
} from "./matrix-model";

const TOPOLOGY_HEADINGS: Record<string, string> = {
  "single-origin": "Single origin: the app and its API on app.test",
  "split-origin": "Split origins: front end on www.app.test, API on api.app.test",
  "sub-path": "Sub-path: the app under https://app.test/app/",
  replicas: "Replicas: two app containers behind one proxy",
};

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d1d1f;background:#fafafa}
h1{font-size:20px;margin:0 0 4px}.sub{color:#555;margin:0 0 16px}
.totals span{display:inline-block;margin-right:14px}
table.m{border-collapse:collapse;table-layout:fixed;background:#fff;width:max-content}
table.m th,table.m td{border:1px solid #d0d0d7;padding:8px;vertical-align:top;width:300px}
table.m th.s,table.m td.s{width:150px;font-weight:600;background:#f3f3f6;position:sticky;left:0}
thead th{background:#f3f3f6;text-align:left;font-weight:600}
thead .sum{font-weight:400;color:#444;font-size:12px;margin-top:4px}
thead .meta{font-weight:400;color:#666;font-size:12px;margin-top:4px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;margin-bottom:6px}
.works{background:#e5f6e9}.works .badge{background:#1a7f37;color:#fff}
.broken-as-expected{background:#fff6e0}.broken-as-expected .badge{background:#b26b00;color:#fff}
.unexpected,.error{background:#fde8e8}.unexpected .badge,.error .badge{background:#c62828;color:#fff}
.skipped,.not-run{background:#f0f0f0;color:#777}.skipped .badge,.not-run .badge{background:#999;color:#fff}
dl{margin:0;font-size:12px;display:grid;grid-template-columns:max-content 1fr;gap:0 8px}
dt{color:#555}dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
.dx{margin-top:8px;border-top:1px dashed #d9b36a;padding-top:6px;font-size:12px}
.dx b{display:block}.dx p{margin:4px 0}
.lvl{font-size:11px;padding:0 4px;border-radius:3px;color:#fff}.lvl.breaks{background:#b3261e}.lvl.limit{background:#a86b00}.lvl.note{background:#5f6b7a}
pre{background:#1e1e1e;color:#e8e8e8;padding:6px 8px;border-radius:4px;font-size:11.5px;white-space:pre-wrap;margin:4px 0 0}
.problems{font-size:12px;color:#8b1a1a;margin:6px 0 0;padding-left:16px}
.chart svg{width:100%;height:auto;margin-top:6px;background:#fff;border:1px solid #e3e3e3}
.legend{margin-top:16px;font-size:12px;color:#555}
table.o{border-collapse:collapse;background:#fff;margin:8px 0 20px}
table.o th,table.o td{border:1px solid #e0e0e6;padding:2px 4px;font-size:12px;text-align:center}
table.o th.v{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:500;height:130px;white-space:nowrap}
table.o td.s{text-align:left;font-weight:600;background:#f3f3f6}
table.o a{display:block;min-width:34px;text-decoration:none;color:inherit;font-weight:600;border-radius:3px}
`;

function header(v: VariantColumn): string {
  const meta = [
    v.proxyVersion ?? v.proxy,
    v.url ?? v.scheme,
    v.stackStartS !== null ? `stack up in ${v.stackStartS.toFixed(1)} s` : null,
    `${v.cellsDone}/${v.cellsPlanned} cells`,
  ]
    .filter(Boolean)
    .join(" · ");
  const bugList = (bugs: readonly string[]) =>
    bugs.map((b) => `<abbr title="${esc(BUGS[b as keyof typeof BUGS] ?? "")}">${esc(b)}</abbr>`).join(", ");
  const shown = v.reproduces.length ? `<div class="meta">reproduces ${bugList(v.reproduces)}</div>` : "";
  const notShown = v.notShown?.length
    ? `<div class="meta">written for ${bugList(v.notShown)}: not shown here</div>`
    : "";
  return `<th>${esc(v.name)}<div class="sum">${esc(v.summary)}</div><div class="meta">${esc(meta)}</div>${shown}${notShown}</th>`;
}

const anchor = (scenario: string, variant: string) => `c-${scenario}-${variant}`.replace(/[^A-Za-z0-9_-]/g, "_");
const MARK: Record<string, string> = { works: "✓", unexpected: "✗", error: "ERR", skipped: "–", "not-run": "·" };

/** Scenario × column at a glance, one mark per cell linking to its detail; the user's own columns first. */
function overviewHtml(m: Matrix): string {
  const columns = [...m.variants].sort((a, b) => Number(b.expects === "healthy") - Number(a.expects === "healthy"));
  const rows = m.scenarios
    .map((s) => {
      const marks = columns
        .map((v) => {
          const cell = m.cells.get(cellKey(s, v.name));
          if (!cell) return `<td class="not-run"></td>`;
          const text =
            cell.state === "broken-as-expected"
              ? (cell.diagnosis?.bug ?? "~")
              : v.expects === "healthy" && cell.state === "unexpected"
                ? `${cell.diagnosis?.bug ?? "✗"}${cell.diagnosis?.level && cell.diagnosis.level !== "breaks" ? ` (${cell.diagnosis.level})` : ""}`
                : (MARK[cell.state] ?? "?");
          return `<td class="${cell.state}"><a href="#${anchor(s, v.name)}" title="${esc(`${s} on ${v.name}: ${stateLabel(cell, v.expects)}`)}">${esc(text)}</a></td>`;
        })
        .join("");
      return `<tr><td class="s">${esc(s)}</td>${marks}</tr>`;
    })
    .join("\n");
  return `<h2>At a glance</h2><table class="o"><thead><tr><th></th>${columns.map((v) => `<th class="v">${esc(v.name)}</th>`).join("")}</tr></thead><tbody>${rows}</tbody></table>`;
}

function cellHtml(cell: Cell | undefined, v: VariantColumn): string {
  if (!cell) return `<td class="not-run"><span class="badge">not run</span></td>`;
  const observed = cell.observed.length
    ? `<dl>${cell.observed.map(([k, val]) => `<dt>${esc(k)}</dt><dd>${esc(val)}</dd>`).join("")}</dl>`
    : "";
  const problems = cell.problems.length
    ? `<ul class="problems">${cell.problems.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>`
    : "";
  const d = cell.diagnosis;
  const dx = d
    ? `<div class="dx"><b>${d.level ? `<span class="lvl ${d.level}">${d.level}</span> ` : ""}${esc(d.bug)}: ${esc(d.title)}</b>${d.levelWhy ? `<p>${esc(d.level ?? "")}: ${esc(d.levelWhy)}${d.limit ? `; measured: ${esc(d.limit)}` : ""}</p>` : ""}${d.likeVariant ? `<p>Same symptom as the <i>${esc(d.likeVariant)}</i> variant.</p>` : ""}<p>${esc(d.why)}</p>${faultsHtml(d)}</div>`
    : v.expects === "healthy" && cell.state === "unexpected"
      ? `<div class="dx"><b>Not a known failure</b><p>No diagnosed row of the table matches this observation; see the fields above and the test's observation.json.</p></div>`
      : "";
  const chart = cell.timelineSvg ? `<div class="chart">${cell.timelineSvg}</div>` : "";
  return `<td class="${cell.state}" id="${anchor(cell.scenario, v.name)}"><span class="badge">${esc(stateLabel(cell, v.expects))}</span>${observed}${problems}${chart}${dx}</td>`;
}

/** The line at fault (or the block missing one) per cause, and the fix as a diff of the config; else the advice. */
function faultsHtml(d: NonNullable<Cell["diagnosis"]>): string {
  if (!d.faults || d.faults.length === 0) return `Fix:<pre>${esc(d.fix.join("\n"))}</pre>`;
  const causes = d.faults
    .map(
      (f) =>
        `<li>${f.bug !== d.bug ? `<b>${esc(f.bug)}</b>: ` : ""}${esc(f.cause)}${f.where ? `<br><code>${esc(faultPlace(f))}</code>` : ""}${f.fixIn !== "config" && f.fix.length ? `<pre>${esc(f.fix.join("\n"))}</pre>` : ""}</li>`,
    )
    .join("");
  return `<ul class="causes">${causes}</ul>${d.fixDiff ? `Fix:<pre class="diff">${esc(d.fixDiff)}</pre>` : ""}`;
}

/** One self-contained page: inline CSS, inline SVG, no scripts, nothing fetched. */
export function matrixHtml(m: Matrix): string {
  const c = counts(m);
  const groups = topologyGroups(m);
  const tables = groups
    .map((g) => {
      const rows = g.scenarios
        .map(
          (s) =>
            `<tr><td class="s">${esc(s)}</td>${g.variants.map((v) => cellHtml(m.cells.get(cellKey(s, v.name)), v)).join("")}</tr>`,
        )
        .join("\n");
      const heading = groups.length > 1 ? `<h2>${esc(TOPOLOGY_HEADINGS[g.topology] ?? g.topology)}</h2>\n` : "";
      return `${heading}<table class="m"><thead><tr><th class="s">scenario \\ variant</th>${g.variants.map(header).join("")}</tr></thead>\n<tbody>\n${rows}\n</tbody></table>`;
    })
    .join("\n");
  const diffs = versionDifferences(m);
  const versionSection = diffs.length
    ? `<h2>Differences between nginx versions</h2><table class="m"><thead><tr><th class="s">scenario on variant</th><th>per version</th></tr></thead><tbody>${diffs
        .map(
          (d) =>
            `<tr><td class="s">${esc(d.scenario)} on ${esc(d.variant)}</td><td>${d.columns
              .map(
                (c) =>
                  `<div class="${c.state}"><b>${esc(c.column)}</b> (${esc(c.proxyVersion ?? "?")}): ${esc(c.verdict)}<dl>${c.observed.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl></div>`,
              )
              .join("")}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(m.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(m.title)}</h1>
<p class="sub">${esc(m.startedAt.toISOString())} · ${(m.durationMs / 1000).toFixed(0)} s · ${m.variants.length} variants × ${m.scenarios.length} scenarios</p>
<p class="totals"><span>works: <b>${c.works}</b></span><span>broken as expected: <b>${c["broken-as-expected"]}</b></span><span>unexpected: <b>${c.unexpected}</b></span><span>errors: <b>${c.error}</b></span><span>skipped / not run: <b>${c.skipped + c["not-run"]}</b></span></p>
${overviewHtml(m)}
${tables}
${versionSection}
<p class="legend">Green: the feature works, as the table expects. Amber: the variant shows its known failure, as expected; the diagnosis names the field report (docs/field-reports.md), why it happens and the directives that fix it. Red: the observation differs from the table (or, for your own config, the feature is broken). Each cell's full observation is its test's observation.json (Playwright report: test-results/playwright-report). SSE charts: blue = sent (server clock), red = arrived (browser clock).</p>
</body></html>
`;
}
