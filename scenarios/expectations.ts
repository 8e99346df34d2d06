import type { BugId } from "../lib/bugs";
import { engineProjectName, splitEngine, type Engine } from "../lib/browsers";
import type { Project } from "../proxies/projects";
import { forEngine } from "./engines";
import { VARIANT_NAMES } from "../proxies/registry";
import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations, ScenarioName, UserOnlyScenario } from "./observations";
import * as bigHeaders from "./big-headers.expect";
import * as clientAddress from "./client-address.expect";
import * as formRedirect from "./form-redirect.expect";
import * as idleTimeout from "./idle-timeout.expect";
import * as oauthLogin from "./oauth-login.expect";
import * as randomUuid from "./random-uuid.expect";
import * as sessionCookie from "./session-cookie.expect";
import * as sockjsChat from "./sockjs-chat.expect";
import * as splitOrigin from "./split-origin.expect";
import * as subPath from "./sub-path.expect";
import * as sockjsReplicas from "./sockjs-replicas.expect";
import * as sseClientAbort from "./sse-client-abort.expect";
import * as sseConnectionLimit from "./sse-connection-limit.expect";
import * as sseIdleResume from "./sse-idle-resume.expect";
import * as sseOpenLatency from "./sse-open-latency.expect";
import * as sseTiming from "./sse-timing.expect";
import * as uploadLimit from "./upload-limit.expect";
import * as sseWrongMime from "./sse-wrong-mime.expect";
import * as websocketOrigin from "./websocket-origin.expect";
import * as websocketRaw from "./websocket-raw.expect";

export type { Bound, Expectation } from "./expectation";

/**
 * The one table, scenario × variant → what must be observed, assembled from each scenario's
 * scenarios/<feature>.expect.ts. Measured, not assumed: docs/findings.md has the measurements behind the rows.
 */
export const EXPECTATIONS: { [S in TableScenario]: Rows<S> } = {
  "random-uuid": randomUuid.rows,
  "oauth-login": oauthLogin.rows,
  "session-cookie": sessionCookie.rows,
  "form-redirect": formRedirect.rows,
  "sockjs-chat": sockjsChat.rows,
  "websocket-raw": websocketRaw.rows,
  "websocket-origin": websocketOrigin.rows,
  "big-headers": bigHeaders.rows,
  "upload-limit": uploadLimit.rows,
  "sse-timing": sseTiming.rows,
  "sse-timing-x-accel": sseTiming.xAccelRows,
  "sse-open-latency": sseOpenLatency.rows,
  "sse-connection-limit": sseConnectionLimit.rows,
  "sse-client-abort": sseClientAbort.rows,
  "sse-wrong-mime": sseWrongMime.rows,
  "sse-idle-resume": sseIdleResume.rows,
  "split-rest": splitOrigin.restRows,
  "split-sockjs": splitOrigin.sockJsRows,
  "split-sse": splitOrigin.sseRows,
  "split-upload": splitOrigin.uploadRows,
  "sub-path": subPath.rows,
  "sockjs-replicas": sockjsReplicas.rows,
  "client-address": clientAddress.rows,
};

/**
 * What "works" means in each scenario, whatever the config: a user's config under `npm run repro` is held to
 * this. Only what any correct config shows, so nothing here depends on nginx's version or on HTTP/2.
 */
export const HEALTHY: { [S in ScenarioName]: Healthy<S> } = {
  "random-uuid": randomUuid.healthy,
  "oauth-login": oauthLogin.healthy,
  "session-cookie": sessionCookie.healthy,
  "form-redirect": formRedirect.healthy,
  "sockjs-chat": sockjsChat.healthy,
  "websocket-raw": websocketRaw.healthy,
  "websocket-origin": websocketOrigin.healthy,
  "big-headers": bigHeaders.healthy,
  "upload-limit": uploadLimit.healthy,
  "sse-timing": sseTiming.healthy,
  "sse-timing-x-accel": sseTiming.healthyXAccel,
  "sse-open-latency": sseOpenLatency.healthy,
  "sse-connection-limit": sseConnectionLimit.healthy,
  "sse-client-abort": sseClientAbort.healthy,
  "sse-wrong-mime": sseWrongMime.healthy,
  "sse-idle-resume": sseIdleResume.healthy,
  "split-rest": splitOrigin.healthyRest,
  "split-sockjs": splitOrigin.healthySockJs,
  "split-sse": splitOrigin.healthySse,
  "split-upload": splitOrigin.healthyUpload,
  "idle-timeout": idleTimeout.healthy,
  "sub-path": subPath.healthy,
  "sockjs-replicas": sockjsReplicas.healthy,
  "client-address": clientAddress.healthy,
};

/** Every scenario; the table's (every variant has a row) are TABLE_SCENARIOS, the rest only a user's config runs. */
export const SCENARIO_NAMES = Object.keys(HEALTHY) as ScenarioName[];
export const TABLE_SCENARIOS = Object.keys(EXPECTATIONS) as TableScenario[];
type TableScenario = Exclude<ScenarioName, UserOnlyScenario>;

/** Where each scenario's rows are written: beside the spec that asserts it (one spec may hold several). */
const ROWS_FILE: Record<ScenarioName, string> = {
  ...(Object.fromEntries(SCENARIO_NAMES.map((s) => [s, `scenarios/${s}.expect.ts`])) as Record<ScenarioName, string>),
  "sse-timing-x-accel": "scenarios/sse-timing.expect.ts",
  "split-rest": "scenarios/split-origin.expect.ts",
  "split-sockjs": "scenarios/split-origin.expect.ts",
  "split-sse": "scenarios/split-origin.expect.ts",
};

/** The row a project is held to: its own in the table, or HEALTHY for a user's (or a corpus) config. */
export function expectationForProject<S extends ScenarioName>(
  scenario: S,
  project: Project,
  engine: Engine = "chromium",
): Expectation<Observations[S]> {
  return forEngine(
    scenario,
    project.expects === "healthy" || project.expects === "verdicts"
      ? (HEALTHY[scenario] as Expectation<Observations[S]>)
      : expectationFor(scenario, engineProjectName(project.name, engine)),
    engine,
  );
}

/**
 * The field reports a project's cells show: every bug its rows diagnose (on its nginx version, where a
 * `<variant>@<version>` row overrides). The registry says what a config was written to reproduce; this says
 * what was measured, so `http1.0-default@1.30` no longer claims B11, which that version streams.
 */
export function bugsShown(project: Project, engine: Engine = "chromium"): BugId[] {
  if (project.expects === "healthy" || project.expects === "verdicts") return [];
  const shown = new Set<BugId>();
  for (const scenario of TABLE_SCENARIOS) {
    const bug = rowOf(scenario, engineProjectName(project.name, engine))?.diagnosis?.bug;
    if (bug) shown.add(bug);
  }
  return project.reproduces.filter((b) => shown.has(b));
}

/**
 * A project's row: its own where the version or the engine changes what is seen (`http1.0-default@1.30`,
 * `fixed@firefox`, `fixed@1.30@firefox`), else the same without the engine, else its variant's.
 */
export function rowOf<S extends ScenarioName>(scenario: S, project: string): Expectation<Observations[S]> | undefined {
  const rows = (EXPECTATIONS as Record<string, unknown>)[scenario] as
    Record<string, Expectation<Observations[S]> | undefined> | undefined;
  const { project: withoutEngine, engine } = splitEngine(project);
  const variant = withoutEngine.split("@")[0]!;
  return rows?.[project] ?? rows?.[withoutEngine] ?? rows?.[engineProjectName(variant, engine)] ?? rows?.[variant];
}

/** The scenarios where the table holds a row of this `<variant>@<version>`'s own: the version changes what is seen. */
export function versionRowScenarios(project: string): ScenarioName[] {
  if (!project.includes("@")) return [];
  return TABLE_SCENARIOS.filter((scenario) => Object.hasOwn(EXPECTATIONS[scenario], project));
}

export function expectationFor<S extends ScenarioName>(scenario: S, variant: string): Expectation<Observations[S]> {
  if (!SCENARIO_NAMES.includes(scenario))
    throw new Error(`Unknown scenario: ${scenario}. Use one of: ${SCENARIO_NAMES.join(", ")}.`);
  if (!(scenario in EXPECTATIONS))
    throw new Error(
      `${scenario} runs only for a user's own config (npm run repro): the registry's variants have no row in it.`,
    );
  const row = rowOf(scenario, variant);
  if (!row)
    throw new Error(
      `No expectation for variant ${variant} in scenario ${scenario}. Known variants: ${VARIANT_NAMES.join(", ")}. Add its row to ${ROWS_FILE[scenario]}.`,
    );
  return row;
}
