import { engineProjectName, type Engine } from "../lib/browsers";
import type { Fault } from "../proxies/faults";
import { forEngine } from "./engines";
import { BUGS } from "../lib/bugs";
import { DEFAULT_NGINX_VERSION } from "../proxies/nginx/versions";
import type { Project } from "../proxies/projects";
import { VARIANTS } from "../proxies/registry";
import { HEALTHY, rowOf as rowFor, type Bound, type Expectation } from "./expectations";
import type { Observations, ScenarioName } from "./observations";
import { SYMPTOM_RULES } from "./symptom-rules";
import type { Level } from "./levels";

/** What differs between an observation and an expectation, one line per field; empty when it matches. */
export function mismatches<O>(expectation: Expectation<O>, observation: O): string[] {
  const seen = observation as unknown as Record<string, unknown>;
  const out: string[] = [];
  for (const [field, want] of Object.entries(expectation.must as Record<string, unknown>)) {
    if (JSON.stringify(seen[field]) !== JSON.stringify(want))
      out.push(`${field}: expected ${JSON.stringify(want)}, observed ${JSON.stringify(seen[field])}`);
  }
  for (const [field, bound] of Object.entries(expectation.bounds ?? {}) as Array<[string, Bound]>) {
    const value = seen[field];
    const range = `${bound.min !== undefined ? `≥ ${bound.min}` : ""}${bound.min !== undefined && bound.max !== undefined ? " and " : ""}${bound.max !== undefined ? `≤ ${bound.max}` : ""}`;
    if (typeof value !== "number") out.push(`${field}: expected ${range}, observed ${JSON.stringify(value ?? null)}`);
    else if ((bound.min !== undefined && value < bound.min) || (bound.max !== undefined && value > bound.max))
      out.push(`${field}: expected ${range}, observed ${value}`);
  }
  return out;
}

export interface Diagnosis {
  bug: keyof typeof BUGS;
  title: string;
  why: string;
  fix: readonly string[];
  /** The registered variant whose known failure this observation matches, when found by symptom. */
  likeVariant?: string;
  /** Where the fix goes: the config (default), the app, or the proxy's version. */
  fixIn?: "config" | "app" | "version";
  /** Its causes in the cell's config: the line at fault (or the block missing one) and the fix there. */
  faults?: readonly Fault[];
  /** The unified diff of the config-side fixes, against the config as given. */
  fixDiff?: string;
  /** How much it matters (scenarios/levels.ts): breaks, limit or note, why, and a limit as measured. */
  level?: Level;
  levelWhy?: string;
  limit?: string;
}

export function withTitle(d: NonNullable<Expectation<unknown>["diagnosis"]>, likeVariant?: string): Diagnosis {
  return {
    bug: d.bug,
    title: BUGS[d.bug],
    why: d.why,
    fix: d.fix,
    ...(d.fixIn ? { fixIn: d.fixIn } : {}),
    ...(likeVariant ? { likeVariant } : {}),
  };
}

/** Whether the feature works, by the HEALTHY row, whatever the variant was expected to show. */
export function isHealthy<S extends ScenarioName>(
  scenario: S,
  observation: Observations[S],
  engine: Engine = "chromium",
): boolean {
  return (
    mismatches(forEngine(scenario, HEALTHY[scenario] as Expectation<Observations[S]>, engine), observation).length === 0
  );
}

/**
 * For an observation with no row of its own (a user's config): the known failure it shows, found by matching it
 * against the diagnosed rows of the table for the same proxy kind (their fix lines are in its language) and,
 * for nginx, the same version (a `<variant>@<version>` row where the version changes what is seen). The first
 * match wins; rows of one bug share their fix.
 */
export function diagnoseBySymptom<S extends ScenarioName>(
  scenario: S,
  observation: Observations[S],
  project: Pick<Project, "proxy" | "nginxVersion"> = { proxy: "nginx" },
  engine: Engine = "chromium",
): Diagnosis | null {
  const version = project.nginxVersion ?? DEFAULT_NGINX_VERSION;
  for (const variant of VARIANTS.filter((v) => v.proxy === project.proxy)) {
    const name =
      project.proxy === "nginx" && version !== DEFAULT_NGINX_VERSION ? `${variant.name}@${version}` : variant.name;
    const row = rowFor(scenario, engineProjectName(name, engine));
    if (row?.diagnosis && mismatches(forEngine(scenario, row, engine), observation).length === 0)
      return withTitle(row.diagnosis, name);
  }
  const rule = SYMPTOM_RULES[scenario] as
    ((o: Observations[S]) => Expectation<Observations[S]>["diagnosis"] | null) | undefined;
  const ruled = rule?.(observation);
  return ruled ? withTitle(ruled) : null;
}
