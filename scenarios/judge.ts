import type { Engine } from "../lib/browsers";
import type { Project } from "../proxies/projects";
import { cellFaults } from "./cell-faults";
import { diagnoseBySymptom, isHealthy, mismatches, withTitle, type Diagnosis } from "./expectation-check";
import { expectationForProject, type Expectation } from "./expectations";
import type { Observations, ScenarioName } from "./observations";
import { carriedFor, levelOf } from "./levels";
import { profileOfRun } from "../lib/profile";

export interface Judgement<S extends ScenarioName> {
  expectation: Expectation<Observations[S]>;
  /** Why the cell is not what it should be; empty when it is. */
  misses: string[];
  healthy: boolean;
  diagnosis: Diagnosis | null;
}

/**
 * One cell's verdict, whatever the project: a registry variant is held to its row (which carries its diagnosis);
 * a user's config must be healthy, and where it is not, gets the known failure its symptom matches; a corpus
 * config must show the verdict written for it before it was run ("healthy", a field report, or "broken").
 */
export function judge<S extends ScenarioName>(
  scenario: S,
  observation: Observations[S],
  project: Project,
  engine: Engine = "chromium",
): Judgement<S> {
  const judged = leveled(scenario, observation, project, verdict(scenario, observation, project, engine));
  const d = judged.diagnosis;
  if (!d || judged.healthy) return judged;
  // Where the config causes it: file:line (or the block missing a directive) and the fix, for every project.
  try {
    return { ...judged, diagnosis: { ...d, ...cellFaults(scenario, observation, project, d.bug) } };
  } catch (err) {
    // Reading the config for a cause must not turn an observed cell into an error: say it could not be read.
    const cause = `cannot tell from the config: reading it failed (${(err as Error).message})`;
    return {
      ...judged,
      diagnosis: { ...d, faults: [{ bug: d.bug, cause, where: null, fix: [], edits: [], fixIn: "config" }] },
    };
  }
}

/** The diagnosis with its level: the field report's, the scenario's, or breaks where the run's profile needs the limit. */
function leveled<S extends ScenarioName>(
  scenario: S,
  observation: Observations[S],
  project: Project,
  j: Judgement<S>,
): Judgement<S> {
  if (!j.diagnosis) return j;
  const profile = project.expects === "healthy" ? profileOfRun() : null;
  // A user's config whose measured limit carries what the app's profile needs: healthy for this app.
  const carried = j.healthy || j.diagnosis.bug !== "B5" ? null : carriedFor(scenario, observation, profile);
  if (carried) return { ...j, healthy: true, misses: [], diagnosis: null };
  const l = levelOf(scenario, j.diagnosis.bug, observation, profile);
  return {
    ...j,
    diagnosis: { ...j.diagnosis, level: l.level, levelWhy: l.why, ...(l.limit ? { limit: l.limit } : {}) },
  };
}

function verdict<S extends ScenarioName>(
  scenario: S,
  observation: Observations[S],
  project: Project,
  engine: Engine,
): Judgement<S> {
  const expectation = expectationForProject(scenario, project, engine);
  const healthy = isHealthy(scenario, observation, engine);
  if (project.expects === "table" || project.expects === undefined) {
    return {
      expectation,
      misses: mismatches(expectation, observation),
      healthy,
      // Only where the cell is not healthy: a Firefox cell can match its row without the symptom (scenarios/engines.ts).
      diagnosis: expectation.diagnosis && !healthy ? withTitle(expectation.diagnosis) : null,
    };
  }
  const diagnosis = healthy ? null : overwrittenAtEdge(scenario, observation, project, engine);
  if (project.expects === "healthy")
    return { expectation, misses: mismatches(expectation, observation), healthy, diagnosis };
  const want = project.verdicts?.[scenario] ?? "healthy";
  const seen = healthy ? "healthy" : (diagnosis?.bug ?? "broken");
  return {
    expectation,
    misses:
      want === seen
        ? []
        : [
            `verdict: written ${want}, observed ${seen}${healthy ? "" : ` (${mismatches(expectation, observation).join("; ")})`}`,
          ],
    healthy,
    diagnosis,
  };
}

/**
 * The known failure a symptom matches; behind an edge, B21 where the config's located cause of a B1/B13/B18 symptom
 * is a hop overwriting the edge's https: the rows' symptoms alone cannot tell it from a missing header (a
 * single-hop row would say "plain http"), the config's line can.
 */
function overwrittenAtEdge<S extends ScenarioName>(
  scenario: S,
  observation: Observations[S],
  project: Project,
  engine: Engine,
): Diagnosis | null {
  const d = diagnoseBySymptom(scenario, observation, project, engine);
  if (!d || !project.edge || !["B1", "B13", "B18"].includes(d.bug)) return d;
  try {
    const located = cellFaults(scenario, observation, project, d.bug).faults.filter((f) => f.where !== null);
    if (located.length === 0 || located.some((f) => f.bug !== "B21")) return d;
    return withTitle({ ...d, bug: "B21", why: located[0]!.cause, fix: located[0]!.fix });
  } catch {
    return d; // judge() says a config it cannot read for a cause
  }
}
