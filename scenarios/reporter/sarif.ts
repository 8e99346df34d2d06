import { levelOfCell, SARIF_LEVEL, type Level } from "../levels";
import { BUGS, type BugId } from "../../lib/bugs";
import type { Fault } from "../../proxies/faults";

/** A cell as test-results/matrix.json holds it, as far as SARIF needs it. */
export interface SarifCell {
  scenario: string;
  variant: string;
  healthy: boolean | null;
  state: string;
  diagnosis: {
    bug: string;
    title?: string;
    why: string;
    fix: readonly string[];
    faults?: readonly Fault[];
    level?: Level;
    levelWhy?: string;
    limit?: string;
  } | null;
  problems: readonly string[];
}

/**
 * SARIF 2.1.0 for code review: one result per unhealthy cell, the field report as its rule, the config file and
 * line at fault as its location (the config file alone when the cause is an absent directive of no block, or
 * is not in the config), and the cause and its fix as the message. `config`: the user's config path as given.
 */
export function sarifLog(cells: readonly SarifCell[], config: string, toolVersion: string): object {
  const broken = cells.filter((c) => c.healthy === false || c.state === "error");
  const ruleIds = [...new Set(broken.map((c) => c.diagnosis?.bug ?? "unknown"))].sort();
  const rules = ruleIds.map((id) => ({
    id,
    name: id === "unknown" ? "NotAKnownFailure" : `FieldReport${id}`,
    shortDescription: {
      text: id in BUGS ? BUGS[id as BugId] : "A scenario is not healthy, and no field report matches it",
    },
    help: { text: `proxylab's docs/field-reports.md, ${id}: symptom, cause, fix and public sources.` },
  }));
  const results = broken.map((c) => {
    const d = c.diagnosis;
    const faults = d?.faults ?? [];
    const at = faults.find((f) => f.where)?.where?.site;
    const causes = faults.map(
      (f) =>
        `${f.cause}${f.fix.length ? ` Fix${f.fixIn === "config" ? "" : ` (${f.fixIn})`}: ${f.fix.join(" ")}` : ""}`,
    );
    const weight = d?.levelWhy ? ` (${d.level}: ${d.levelWhy}${d.limit ? `; measured: ${d.limit}` : ""})` : "";
    const text = d
      ? `${c.scenario}${weight}: ${d.why}${causes.length ? ` ${causes.join(" ")}` : ` Fix: ${d.fix.join(" ")}`}`
      : `${c.scenario}: ${c.state === "error" ? "the test failed before observing" : "not healthy"}: ${c.problems[0]?.split("\n")[0] ?? ""}`;
    return {
      ruleId: d?.bug ?? "unknown",
      ruleIndex: ruleIds.indexOf(d?.bug ?? "unknown"),
      // breaks → error, limit → warning, note → note (scenarios/levels.ts).
      level: SARIF_LEVEL[levelOfCell(c)],
      message: { text },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: (at?.file ?? config).replace(/\\/g, "/") },
            ...(at ? { region: { startLine: at.line, snippet: { text: at.quote } } } : {}),
          },
        },
      ],
      properties: { scenario: c.scenario, column: c.variant },
    };
  });
  // One config on several nginx versions (`site@1.22`, `site@1.26`): a finding at the same line for the same
  // field report is one result, naming the versions it was seen on.
  const merged = new Map<string, (typeof results)[number] & { properties: { columns?: string[] } }>();
  for (const r of results) {
    const where = r.locations[0]!.physicalLocation;
    const key = JSON.stringify([r.properties.scenario, r.ruleId, where.artifactLocation.uri, where.region?.startLine]);
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...r, properties: { ...r.properties, columns: [r.properties.column] } });
    else seen.properties.columns!.push(r.properties.column);
  }
  const versionOf = (column: string) => /@([\d.]+)$/.exec(column)?.[1];
  const out = [...merged.values()].map((r) => {
    const versions = r.properties.columns!.map(versionOf).filter((v): v is string => !!v);
    return versions.length > 1
      ? { ...r, message: { text: `${r.message.text} (nginx ${versions.join(", ")})` } }
      : { ...r, properties: { scenario: r.properties.scenario, column: r.properties.column } };
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "proxylab", version: toolVersion, rules } },
        results: out,
      },
    ],
  };
}
