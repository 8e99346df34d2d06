import { commands } from "../lib/commands";
import { mkdirSync, rmSync } from "node:fs";
import { FIXTURE_APP_IMAGE, layerTag, proxyImage } from "../docker/images";
import { engineProjectNames, splitEngine } from "../lib/browsers";
import { chromiumVersion } from "../lib/chromium";
import { firefoxVersion } from "../lib/firefox";
import { engineVersion, imageExists } from "../lib/docker-engine";
import { keepContainers, runContext } from "../lib/run";
import { removeRunResources, sweepAbandonedRunDirs, sweepAbandonedRuns, sweepAfterExit } from "../lib/sweep";
import { installEgressBlock, removeEgressBlock } from "../lib/egress";
import { createTestPki } from "../lib/tls";
import { edgeConfigOf, nginxVersionOf, projectsOfRun } from "../proxies/projects";
import { checkProxyConfigs } from "./config-check";
import { selectedProjectNames, listedProjectNames } from "./selected-projects";
import { IDP_NAME, planStacks } from "./plan";
import { startSharedStacks } from "./shared-stacks";

/**
 * Playwright prints a global setup's error with its stack and a code frame, twice; ours say everything in their
 * message (what is wrong, what to do), so they go out without the frames that would bury it.
 */
function plain(err: unknown): Error {
  const clean = new Error(err instanceof Error ? err.message : String(err));
  clean.stack = clean.message;
  return clean;
}

/** Checks what a run needs before any worker starts, so a missing piece fails in seconds with what to do. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  try {
    return await prepare();
  } catch (err) {
    throw plain(err);
  }
}

async function prepare(): Promise<() => Promise<void>> {
  const run = runContext();
  const engine = await engineVersion();
  const all = projectsOfRun();
  // A shard, a --grep or a spec file starts only the stacks of its own cells (Playwright's own selection, listed).
  // A project's engines share its stack: `fixed@firefox` needs `fixed`'s.
  const listed = listedProjectNames();
  const selected = selectedProjectNames(engineProjectNames(all.map((v) => v.name))).filter(
    (n) => !listed || listed.includes(n),
  );
  const names = new Set(selected.map((n) => splitEngine(n).project));
  const engines = new Set(selected.map((n) => splitEngine(n).engine));
  const browser = [
    ...(engines.has("chromium") || engines.size === 0 ? [chromiumVersion()] : []),
    ...(engines.has("firefox") ? [firefoxVersion()] : []),
  ].join(", ");
  const variants = all.filter((v) => names.has(v.name));
  // Throws at once, with the file, for a config that listens on no port.
  const plans = planStacks(all);
  // Only what this run's projects use: `--project=fixed` does not need HAProxy or nginx 1.30 built.
  const needed = [
    ...new Set(
      [
        FIXTURE_APP_IMAGE,
        ...variants.flatMap((v) => [
          proxyImage(v.proxy, nginxVersionOf(v)),
          ...(v.edge ? [proxyImage(edgeConfigOf(v)!.kind, nginxVersionOf(v))] : []),
        ]),
      ].map(layerTag),
    ),
  ];
  const missing: string[] = [];
  for (const tag of needed) if (!(await imageExists(tag))) missing.push(tag);
  if (missing.length > 0) {
    throw new Error(
      `Missing image${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (never built, or their inputs changed${missing.includes(layerTag(FIXTURE_APP_IMAGE)) ? ", e.g. fixtures-app/src" : ""}). Run \`${commands.setup()}\`: it builds them from Debian packages; nothing is pulled.`,
    );
  }
  const swept = (await sweepAbandonedRuns()) + sweepAbandonedRunDirs(run.runDir);
  mkdirSync(run.runDir, { recursive: true, mode: 0o700 });
  await createTestPki(run.runDir, run.runId, [
    IDP_NAME,
    ...new Set(variants.flatMap((v) => plans.get(v.name)!.publicNames)),
  ]);
  console.log(
    `[proxylab] run ${run.runId}: Docker ${engine}, ${browser}, test CA in ${run.runDir}${swept ? `, swept ${swept} leftovers of killed runs` : ""}`,
  );
  // Ctrl-C while stacks start: Playwright runs no teardown for an unfinished global setup and exits without
  // waiting, so a detached sweeper removes the run once the runner is gone (found by the leak self-test).
  const onSignal = () => sweepAfterExit(run.runId, run.runDir);
  process.once("SIGINT", onSignal);
  let stopStacks: () => Promise<void>;
  try {
    await checkProxyConfigs(variants, run);
    await installEgressBlock();
    stopStacks = await startSharedStacks(variants, plans, run, (line) => console.log(`[proxylab] ${line}`));
  } catch (err) {
    await removeRunResources(run.runId);
    await removeEgressBlock();
    rmSync(run.runDir, { recursive: true, force: true });
    throw err;
  } finally {
    process.off("SIGINT", onSignal);
  }

  return async () => {
    if (keepContainers()) {
      console.log(
        `[proxylab] KEEP_CONTAINERS=1: containers and ${run.runDir} kept; \`${commands.clean()}\` removes them.`,
      );
      return;
    }
    await stopStacks();
    const left = await removeRunResources(run.runId);
    await removeEgressBlock();
    if (left > 0) console.log(`[proxylab] removed ${left} resources the workers had not stopped`);
    rmSync(run.runDir, { recursive: true, force: true });
  };
}
