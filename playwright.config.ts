import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { enginesOf, engineProjectName, engineProjectNames, type Engine } from "./lib/browsers";
import { CHROMIUM_ARGS, chromiumPath } from "./lib/chromium";
import { firefoxLaunchOptions } from "./lib/firefox";
import { RESULTS_DIR } from "./lib/results";
import { runContext } from "./lib/run";
import { hostResolverRules, planStack, resolvedNames, type StackPlan } from "./stack/plan";
import { testPkiPaths } from "./lib/tls";
import { prefixOf, replicasOf, projectsOfRun, topologyOf } from "./proxies/projects";
import { BEHIND_EDGE_SCENARIOS } from "./scenarios/observations";
import { bugsShown, versionRowScenarios } from "./scenarios/expectations";
import { selectedProjectNames, workersPerProject } from "./stack/selected-projects";

// Ryuk (testcontainers' reaper) is a pulled image and no registry is reachable: the harness labels and
// removes its own containers instead (stack/global-setup.ts, lib/sweep.ts).
process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
// Ports are published on 127.0.0.1 only. Inside a container (/.dockerenv), testcontainers would otherwise
// probe them on the bridge gateway and time out.
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= "127.0.0.1";
// Playwright stops gracefully on SIGINT (fixture teardown, then global teardown, which removes the run's
// containers) but dies at once on SIGTERM, what `kill` and CI cancellation send, leaving the stack running
// (found by scenarios/self-test/leaks.test.ts). In the runner only, SIGTERM becomes that graceful stop.
if (process.env.TEST_WORKER_INDEX === undefined) {
  let stopping = false;
  process.on("SIGTERM", () => {
    // Kept for the whole run (with `once`, the runner still died by SIGTERM mid-teardown): a repeated
    // SIGTERM must not cut the teardown short. CI's follow-up SIGKILL is the next run's sweep's job.
    if (stopping) return;
    stopping = true;
    console.log("[proxylab] SIGTERM: stopping as on Ctrl-C (teardown removes the run's containers)");
    process.kill(process.pid, "SIGINT");
  });
}
// Fixed here, in the runner process, before any worker exists: workers inherit it through the environment.
const run = runContext();
// In a worker: Playwright makes each browser's profile folder, and Chromium its own, in the temporary folder,
// and a killed run leaves them there (10 found in /tmp after a day of SIGKILL self-tests). Inside the run
// folder they go with it: at the end of the run, or in the next run's sweep.
if (process.env.TEST_WORKER_INDEX !== undefined) {
  process.env.TMPDIR = path.join(run.runDir, "tmp");
  mkdirSync(process.env.TMPDIR, { recursive: true });
}
// Throws at once, listing the valid names, on an unknown PROXY_VARIANTS entry; under `npm run repro`, the
// user's config (PROXYLAB_USER_CONFIG) is the one project, or its contract error.
const variants = projectsOfRun();
const workers = Number(process.env.PROXYLAB_WORKERS ?? 2);
// One project's share of the workers when the run has several: one worker start per project, not two.
const perProject = workersPerProject(
  workers,
  selectedProjectNames(engineProjectNames(variants.map((v) => v.name))).length,
);
const pki = testPkiPaths(run.runDir);

/** One engine's browser for one project: its names resolve to its own stack; it trusts the run's CAs only. */
function browserUse(engine: Engine, plan: StackPlan) {
  if (engine === "firefox")
    return {
      browserName: "firefox" as const,
      channel: "moz-firefox",
      launchOptions: firefoxLaunchOptions(resolvedNames(plan), path.join(pki.browserHome, ".pki", "nssdb")),
    };
  return {
    browserName: "chromium" as const,
    launchOptions: {
      executablePath: chromiumPath(),
      args: [...CHROMIUM_ARGS, hostResolverRules(plan)],
      // HOME holds the NSS database that trusts this run's test CA, and nothing else.
      env: { ...process.env, HOME: pki.browserHome },
    },
  };
}

// CI jobs (one per variant) also write a blob report; `merge-reports` joins them (.github/workflows/proxy-matrix.yml).
const blob = process.env.PROXYLAB_BLOB_REPORT
  ? [
      [
        "blob",
        {
          outputDir: path.join(RESULTS_DIR, "blob-report"),
          fileName: `report-${process.env.PROXYLAB_BLOB_REPORT}.zip`,
        },
      ] as const,
    ]
  : [];

export default defineConfig<object, { variant: string }>({
  testDir: "scenarios",
  testMatch: "**/*.spec.ts",
  outputDir: path.join(RESULTS_DIR, "artifacts"),
  globalSetup: "./stack/global-setup.ts",
  // A hung scenario fails in well under a minute; a whole run stays far inside CI's 90 minutes.
  timeout: 45_000,
  expect: { timeout: 10_000 },
  globalTimeout: 30 * 60_000,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Two workers by default: the matrix's waits are mostly idle time (SSE schedules, observation windows), so
  // two browsers overlap them, ~4.8 -> ~3.1 min. Every stack is started by the global setup before any browser
  // exists (starting a container changes host interfaces, and Chromium fails requests in flight when it sees
  // that: net::ERR_NETWORK_CHANGED). The SSE and chat pages keep themselves awake with a 10 ms tick: without
  // it an idle page on this VM sometimes took an event 100-800 ms late, which 2 workers made more frequent.
  // PROXYLAB_WORKERS=1 halves the load on a machine that needs it.
  workers,
  fullyParallel: false,
  reporter: [
    ["list"],
    ["./scenarios/reporter/matrix-reporter.ts", { outputDir: RESULTS_DIR }],
    ["html", { open: "never", outputFolder: path.join(RESULTS_DIR, "playwright-report") }],
    ["junit", { outputFile: path.join(RESULTS_DIR, "junit.xml") }],
    ...blob,
  ],
  use: {
    browserName: "chromium",
    // Off by default: recording every cell's trace to keep the failed ones cost 15 % of the wall time on the
    // reference VM (two variants: 101.6 s with, 86.0 s without). A failure already leaves its observation,
    // the proxy's and app's logs and the page's error context; PROXYLAB_TRACE=1 adds the trace of each
    // failed cell (the CI workflow sets it). No screencast either way: it costs a core-share on 2 cores.
    trace: { mode: process.env.PROXYLAB_TRACE === "1" ? "retain-on-failure" : "off", screenshots: false },
  },
  // The metadata travels in blob reports, so a merged matrix still knows what each column is.
  // Each topology runs its own scenarios (scenarios/split-origin.spec.ts is the split-origin topology's).
  projects: variants.flatMap((v, index) => {
    const plan = planStack(v, index);
    return enginesOf(v.name).map((engine) => ({
      name: engineProjectName(v.name, engine),
      ...(perProject ? { workers: perProject } : {}),
      ...(topologyOf(v) === "split-origin"
        ? { testMatch: "split-origin.spec.ts" }
        : topologyOf(v) === "sub-path"
          ? { testMatch: "sub-path.spec.ts" }
          : topologyOf(v) === "replicas"
            ? { testMatch: "sockjs-replicas.spec.ts" }
            : topologyOf(v) === "behind-edge"
              ? { testMatch: BEHIND_EDGE_SCENARIOS.map((s) => `${s}.spec.ts`) }
              : // The idle-timeout check waits out a user's own timeout (up to 130 s): a user's config runs it, the
                // registry shows the same cut time-scaled (sse-idle-resume). The sub-path check needs a prefix (--path).
                {
                  testIgnore: [
                    "split-origin.spec.ts",
                    ...(v.user && !v.user.skipIdle ? [] : ["idle-timeout.spec.ts"]),
                    ...(v.user && prefixOf(v) ? [] : ["sub-path.spec.ts"]),
                    ...(v.user && replicasOf(v) > 1 ? [] : ["sockjs-replicas.spec.ts"]),
                    // The client's address matters where a load balancer stands in front (docs/edge.md).
                    ...(v.edge ? [] : ["client-address.spec.ts"]),
                  ],
                }),
      // Per project: its names resolve to its own stack's addresses. A worker serves one project at a time
      // (`variant` is a worker option), so this costs no extra browser.
      use: { variant: v.name, ...browserUse(engine, plan) },
      metadata: {
        name: v.name,
        engine,
        proxy: v.proxy,
        topology: topologyOf(v),
        scheme: plan.entry.scheme,
        url: plan.wwwUrl ?? plan.appUrl,
        summary: v.summary,
        reproduces: bugsShown(v, engine),
        notShown: v.reproduces.filter((b) => !bugsShown(v, engine).includes(b)),
        expects: v.expects ?? "table",
        versionRows: versionRowScenarios(v.name),
      },
    }));
  }),
});
