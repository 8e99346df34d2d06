import type { Project } from "../proxies/projects";
import { cellFaults } from "./cell-faults";
import { diagnoseBySymptom, isHealthy, mismatches, withTitle, type Diagnosis } from "./expectation-check";
import { expectationForProject, type Expectation } from "./expectations";
import type { Observations, ScenarioName } from "./observations";

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
): Judgement<S> {
  const judged = verdict(scenario, observation, project);
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

function verdict<S extends ScenarioName>(scenario: S, observation: Observations[S], project: Project): Judgement<S> {
  const expectation = expectationForProject(scenario, project);
  const healthy = isHealthy(scenario, observation);
  if (project.expects === "table" || project.expects === undefined) {
    return {
      expectation,
      misses: mismatches(expectation, observation),
      healthy,
      diagnosis: expectation.diagnosis ? withTitle(expectation.diagnosis) : null,
    };
  }
  const diagnosis = healthy ? null : diagnoseBySymptom(scenario, observation, project);
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
