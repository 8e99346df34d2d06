import { splitEngine } from "../../lib/browsers";
import { FIREFOX_SAYS } from "../../scenarios/engines";
import type { ScenarioName } from "../../scenarios/observations";
import type { MatrixCell } from "./fix";

const verdictOf = (c: MatrixCell) =>
  c.healthy === true
    ? "healthy"
    : c.healthy === false
      ? `${c.diagnosis?.bug ?? "broken"}${c.diagnosis?.level ? ` (${c.diagnosis.level})` : ""}`
      : c.state;

/** What a cell saw, in the words the matrix shows (its first problem, or its diagnosis's why). */
const seen = (c: MatrixCell) => c.problems[0]?.split("\n")[0] ?? c.diagnosis?.why ?? "";

/**
 * Where Chromium and Firefox judged the same config's scenario differently (`--browser all`), each with its
 * verdict and what it saw: the engines met the same stack, so the difference is the engine's.
 */
export function engineDifferences(cells: readonly MatrixCell[]): string[] {
  const byKey = new Map<string, { chromium?: MatrixCell; firefox?: MatrixCell }>();
  for (const c of cells) {
    const { project, engine } = splitEngine(c.variant);
    const key = `${c.scenario}\u0000${project}`;
    byKey.set(key, { ...byKey.get(key), [engine]: c });
  }
  const lines: string[] = [];
  for (const { chromium, firefox } of byKey.values()) {
    if (!chromium || !firefox || verdictOf(chromium) === verdictOf(firefox)) continue;
    const at = splitEngine(chromium.variant).project;
    const version = /@([\d.]+)$/.exec(at)?.[0] ?? "";
    // The engine's own part, where it is known (measured: scenarios/engines.ts).
    const why = FIREFOX_SAYS[chromium.scenario as ScenarioName]?.why;
    lines.push(
      `${chromium.scenario}${version}: Chromium ${verdictOf(chromium)}, Firefox ${verdictOf(firefox)}` +
        `${seen(firefox) ? `; Firefox: ${seen(firefox)}` : ""}${seen(chromium) ? `; Chromium: ${seen(chromium)}` : ""}` +
        `${why ? `. A known engine difference in this scenario: ${why}` : ""}`,
    );
  }
  return lines;
}
