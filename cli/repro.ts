/**
 * `npm run repro -- --config <file | directory | nginx -T output> [--proxy kind] [--version v] [--path /p/] [--publish 443:8443]
 *   [--name n] [--scenario s] [--quick]`
 *
 * Runs every scenario against the user's own config, as it is: read, recognised, adapted on a copy (the diff is
 * printed first) and held to what "works" means (HEALTHY), through the same Playwright run as the matrix.
 * Exit code 0 only if every scenario is healthy; 1 if one is not or the run could not start; 2 for bad input.
 */
import { commands } from "../lib/commands";
import { spawn } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../docker/images";
import { RESULTS_DIR, shownResult } from "../lib/results";
import { ConfigInputError } from "../proxies/config-files";
import { ConfigSyntaxError } from "../proxies/config-tree";
import { removeRunResources } from "../lib/sweep";
import { runContext } from "../lib/run";
import { checkAsGiven } from "../stack/config-check";
import { sarifLog } from "../scenarios/reporter/sarif";
import { PROXY_KINDS, type ProxyKindName } from "../proxies/kinds";
import { compareVersions, isNginxVersion, NGINX_VERSION_LIST } from "../proxies/nginx/versions";
import {
  edgeConfigOf,
  parseEnvPairs,
  preparedConfigOf,
  USER_ENV,
  userProject,
  userProjects,
} from "../proxies/projects";
import { nginxVersionSweep, versionList } from "../stack/version-sweep";
import { SCENARIO_NAMES } from "../scenarios/expectations";
import { planStack } from "../stack/plan";
import { describeConfig } from "./repro/describe";
import {
  beforeAfter,
  copyPath,
  diffFrom,
  keepFirstReports,
  nextCopy,
  readCells,
  remaining,
  unmasked,
  writeCopy,
} from "./repro/fix";
import type { PreparedConfig } from "../proxies/prepare";
import { PLAYWRIGHT } from "../lib/bins";
import { FEATURES, findProfile, PROFILE_ENV, ProfileError, unusedBy, type AppProfile } from "../lib/profile";
import { exitRule, profileLines, suggestedProfile } from "./repro/levels";
import { engineDifferences } from "./repro/engines";
import { BROWSER_ENV, onChromium, type BrowserChoice } from "../lib/browsers";

const USAGE = `Usage: ${commands.check("<path>")} [--behind tls] [--proxy <kind>] [--version <v>] [--path </prefix/>] [--publish <public:listen>] [--replicas <n>] [--env NAME=value] [--name <name>] [--scenario <name>] [--quick] [--fix] [--profile <file>] [--strict] [--browser <engine>]

  --config    your proxy config, as it is: one file (server blocks, a whole nginx.conf, an Apache site or
              apache2.conf, haproxy.cfg, a Caddyfile), a directory (a copy of /etc/nginx, /etc/apache2,
              /etc/haproxy or /etc/caddy, with its includes), or the output of \`nginx -T\`
              Twice (--config edge.cfg --config inner.conf, any two kinds): a chain; the browser meets the
              first, whose upstream names resolve to the second, whose upstreams are the app
  --behind    tls: put a TLS-terminating load balancer in front, as most listen-80 configs run in production
              (HTTP/2 to the browser, HTTP/1.1 to your config, X-Forwarded-Proto/-For/-Port set, 60 s idle
              timeout: an AWS ALB's defaults, docs/edge.md); tls:idle=<seconds> for another idle timeout
  --proxy     ${Object.keys(PROXY_KINDS).join(" | ")} (default: recognised from the syntax)
  --version   which nginx runs it: ${NGINX_VERSION_LIST.join(", ")}. Default: every one whose nginx -t accepts it, one
              column each, and what differs between them said; the other proxies come in one version
  --path      run every scenario under this path prefix (e.g. /push/), where your config proxies the app
  --publish   the browser meets a port your config listens on at another port, as docker -p or a Kubernetes
              Service maps it: 443:8443 (public:listen; several with commas). Default: each port as it is
  --replicas  run n app replicas (1 to 4) for a config that balances over several: the upstream's servers are
              shared out among them in order (with fewer names than
              replicas, every replica answers every name), and sockjs-replicas checks that a session stays on one
  --env       NAME=value for a placeholder of the config (Caddy's {$NAME}, a template's {{ NAME }}); repeat it for
              several. Without one, a placeholder gets a test value, shown before the run
  --name      the column name in the report (default: the config's name)
  --scenario  run one scenario only: ${SCENARIO_NAMES.join(", ")}
  --quick     skip the long idle-timeout check (quiet streams held past your config's idle timeout, up to 130 s)
  --sarif <f> write the findings as SARIF 2.1.0 to <f> (one result per unhealthy scenario, at the config's line)
  --profile   your app profile (default: ./proxylab.json, or package.json's "proxylab" key): what the app uses
              ("uses": ${Object.keys(FEATURES).join(", ")}) and needs (sse.heartbeatS, websocket.quietS,
              uploads.maxBytes, uploads.streamed, headers.maxBytes, streamsPerPage). Scenarios of features it does
              not use are not run; each limit is tested at its number and then passes or breaks
  --strict    exit 1 on any finding, limits and notes too (default: 1 only when something breaks)
  --browser   chromium (default), firefox, or all: both engines on the same stack, one column each, and where
              their verdicts differ, both said
  --fix       write a corrected copy of your config (test-results/<name>.fixed<ext>, and <name>.fix.diff) with
              the fixes the diagnoses name, run every scenario on it too, and show before → after; in a chain,
              each hop's copy where a cause is in it (the edge's too)

Findings have a level: breaks (a feature fails for every user of it), limit (it fails past a measured number:
streams per origin, quiet seconds, header or body size) and note. Exit code: 0 when nothing breaks, 1 when
something does (with a profile: a limit it needs; with --strict: any finding), 2 for input it cannot run.
Your files are never modified: what the harness changes to run them is done on a copy and shown first.`;

class UsageError extends Error {}

interface Args {
  /** The config under test: the only --config, or the second of two (the inner hop). */
  config: string;
  /** The first of two --config: the edge the browser meets, in front of `config`. */
  edgeConfig?: string;
  /** --behind tls[:idle=N]: the stock TLS edge in front of `config`. */
  behind?: string;
  proxy?: ProxyKindName;
  version?: string;
  path?: string;
  publish?: string;
  replicas?: string;
  env: string[];
  name?: string;
  scenario?: string;
  quick: boolean;
  fix: boolean;
  sarif?: string;
  profile?: string;
  strict: boolean;
  browser: BrowserChoice;
}

function parse(argv: string[]): Args {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string", multiple: true },
        behind: { type: "string" },
        proxy: { type: "string" },
        version: { type: "string" },
        "nginx-version": { type: "string" },
        path: { type: "string" },
        publish: { type: "string" },
        replicas: { type: "string" },
        env: { type: "string", multiple: true },
        name: { type: "string" },
        "variant-name": { type: "string" },
        scenario: { type: "string" },
        quick: { type: "boolean" },
        fix: { type: "boolean" },
        sarif: { type: "string" },
        profile: { type: "string" },
        strict: { type: "boolean" },
        browser: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const configs = (values.config as string[] | undefined) ?? [];
  if (configs.length === 0) throw new UsageError("--config is required");
  if (configs.length > 2)
    throw new UsageError(
      `--config given ${configs.length} times: give one config, or two for a chain (--config edge.cfg --config inner.conf: the browser meets the first, which sends to the second).`,
    );
  // Two: the first is the edge the browser meets, the second the config under test behind it.
  const [edgeConfig, config] = configs.length === 2 ? [configs[0], configs[1]!] : [undefined, configs[0]!];
  const behind = values.behind as string | undefined;
  if (behind !== undefined && edgeConfig)
    throw new UsageError(
      "--behind with two --config: one edge at a time (--behind tls puts the stock edge in front; two --config run your own).",
    );
  const proxy = values.proxy as string | undefined;
  if (proxy && !(proxy in PROXY_KINDS))
    throw new UsageError(`--proxy ${proxy}: use one of ${Object.keys(PROXY_KINDS).join(", ")}.`);
  const scenario = values.scenario as string | undefined;
  if (scenario && !(SCENARIO_NAMES as string[]).includes(scenario))
    throw new UsageError(`Unknown scenario: ${scenario}. Use one of: ${SCENARIO_NAMES.join(", ")}.`);
  const version = (values.version ?? values["nginx-version"]) as string | undefined;
  try {
    parseEnvPairs(((values.env as string[] | undefined) ?? []).flatMap((e) => e.split(/,(?=[A-Za-z_][A-Za-z0-9_]*=)/)));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const name = (values.name ?? values["variant-name"]) as string | undefined;
  return {
    config,
    ...(edgeConfig ? { edgeConfig } : {}),
    ...(behind !== undefined ? { behind } : {}),
    ...(proxy ? { proxy: proxy as ProxyKindName } : {}),
    ...(version ? { version } : {}),
    ...(values.path ? { path: values.path as string } : {}),
    ...(values.publish ? { publish: values.publish as string } : {}),
    ...(values.replicas ? { replicas: values.replicas as string } : {}),
    env: ((values.env as string[] | undefined) ?? []).flatMap((e) => e.split(/,(?=[A-Za-z_][A-Za-z0-9_]*=)/)),
    ...(name ? { name } : {}),
    ...(scenario ? { scenario } : {}),
    quick: values.quick === true,
    fix: values.fix === true,
    ...(values.sarif ? { sarif: values.sarif as string } : {}),
    ...(values.profile ? { profile: values.profile as string } : {}),
    strict: values.strict === true,
    browser: browserOption(values.browser as string | undefined),
  };
}

/** --browser: one engine or both; a user's config runs in Chromium unless asked. */
function browserOption(asked: string | undefined): BrowserChoice {
  if (asked === undefined) return "chromium";
  if (asked === "chromium" || asked === "firefox" || asked === "all") return asked;
  throw new UsageError(`--browser ${asked}: use chromium (the default), firefox, or all (both engines).`);
}

/** Cells the run observed, from the matrix reporter's test-results/matrix.json (0 if it is older than this run). */
function cellsRun(since: number): number {
  try {
    const file = path.join(RESULTS_DIR, "matrix.json");
    if (statSync(file).mtimeMs < since) return 0;
    return (JSON.parse(readFileSync(file, "utf8")) as { cells: unknown[] }).cells.length;
  } catch {
    return 0;
  }
}

/**
 * A config the harness cannot read is shown in the product's own words: its checker runs on the files as given
 * (a second or two). Should the checker accept what the harness's reader refused, that is said too.
 */
async function inProductWords(
  err: ConfigSyntaxError,
  kind: ProxyKindName,
  files: NonNullable<ConfigSyntaxError["files"]>,
  version: string | undefined,
): Promise<string> {
  const checker = PROXY_KINDS[kind].checkCommand.join(" ");
  // As playwright.config.ts does: Ryuk's image would have to be pulled; the finally below removes the container.
  process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
  const run = runContext();
  try {
    const said = await checkAsGiven(kind, version && isNginxVersion(version) ? version : undefined, files, run);
    return said === null
      ? `[repro] ${err.message}\n[repro] ${checker} accepts this config, though: the harness's reader is wrong here. Please report it with the file (proxies/${kind}/parse.ts).`
      : `[repro] ${checker} rejects ${files[0]?.shown ?? "the config"} as given:\n${said}\n[repro] (the harness read: ${err.message})`;
  } catch (checkErr) {
    return `[repro] ${err.message}\n[repro] (${checker} could not be run: ${(checkErr as Error).message.split("\n")[0]})`;
  } finally {
    await removeRunResources(run.runId).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`[repro] ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  // npm runs scripts from the package root: a relative path means relative to where the user typed it.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const input = path.resolve(cwd, args.config);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [USER_ENV.config]: input,
    [USER_ENV.shown]: args.config,
    [USER_ENV.proxy]: args.proxy ?? "",
    [USER_ENV.version]: args.version ?? "",
    [USER_ENV.name]: args.name ?? "",
    [USER_ENV.prefix]: args.path ?? "",
    [USER_ENV.publish]: args.publish ?? "",
    [USER_ENV.replicas]: args.replicas ?? "",
    [USER_ENV.env]: args.env.join("\n"),
    [USER_ENV.versions]: "",
    [USER_ENV.behind]: args.behind ?? "",
    [USER_ENV.edgeConfig]: args.edgeConfig ? path.resolve(cwd, args.edgeConfig) : "",
    [USER_ENV.edgeShown]: args.edgeConfig ?? "",
    [BROWSER_ENV]: args.browser,
    ...(args.quick ? { PROXYLAB_QUICK: "1" } : {}),
  };
  let profile: { profile: AppProfile; from: string } | null;
  try {
    profile = findProfile(cwd, args.profile);
  } catch (err) {
    if (!(err instanceof ProfileError)) throw err;
    console.error(`[repro] app profile: ${err.message}`);
    process.exit(2);
  }
  // Only the profile found here: one exported in the shell must not judge this run unseen.
  if (profile) env[PROFILE_ENV] = JSON.stringify(profile.profile);
  else delete env[PROFILE_ENV];
  // --scenario names one to run even where the profile says the app does not use it.
  const skip = profile
    ? SCENARIO_NAMES.map((s) => ({ s, f: unusedBy(profile.profile, s) })).filter(
        (x) => x.f !== null && x.s !== args.scenario,
      )
    : [];
  const only = { scenario: args.scenario, skip: skip.map((x) => x.s) };
  let described: string;
  try {
    const project = userProject(env)!;
    described = describeConfig(project, planStack(project, 0), args);
    // nginx without --version: every version whose nginx -t accepts the config, one column each.
    if (project.proxy === "nginx" && !args.version) {
      const [sweep] = await nginxVersionSweep([project]);
      if (sweep!.accepted.length === 0) {
        console.log(described);
        console.error(
          `[repro] nginx -t rejects ${args.config} on every version the harness runs:\n${sweep!.rejected.map((r) => `  nginx ${r.version}: ${r.said}`).join("\n")}`,
        );
        process.exit(2);
      }
      env[USER_ENV.versions] = sweep!.accepted.join(",");
      const [first, ...others] = userProjects(env);
      described = describeConfig(first!, planStack(first!, 0), args);
      // The copy says HTTP/2 in each version's words (a fragment's server): each other copy that differs, shown.
      for (const other of others) {
        const diff = preparedConfigOf(other).adapted.diff;
        if (diff !== preparedConfigOf(first!).adapted.diff)
          described += `\n[repro] on nginx ${other.nginxVersion} the copy differs:\n${diff.trimEnd()}`;
      }
      described += `\n[repro] nginx versions: runs on ${versionList(sweep!.accepted)}${sweep!.accepted.length > 1 ? ", one column each; what differs between them is said at the end" : ""}${sweep!.rejected.map((r) => `; ${r.version} left out: ${r.said}`).join("")}. --version <v> runs one.`;
    }
  } catch (err) {
    if (err instanceof ConfigSyntaxError && err.kind && err.files) {
      console.error(await inProductWords(err, err.kind, err.files, args.version));
      process.exit(2);
    }
    if (err instanceof ConfigInputError || err instanceof Error) {
      console.error(`[repro] ${(err as Error).message}`);
      process.exit(2);
    }
    throw err;
  }
  console.log(described);
  for (const line of profileLines(profile, skip)) console.log(`[repro] ${line}`);

  const startedAt = Date.now();
  const first = await runScenarios(env, only);
  const cells = cellsRun(startedAt);
  if (first.code === 0) console.log(`[repro] every scenario is healthy with ${args.config}.`);
  else if (cells === 0) console.log(`[repro] stopped before any scenario ran: see the error above.`);
  // The proxy's own checker refused the config: input that cannot run (exit 2), like a syntax error read here.
  if (cells === 0 && first.rejected) process.exit(2);
  else if (first.code !== null && first.code !== 0)
    console.log(
      `[repro] not healthy: see the diagnosis above, ${shownResult("matrix.html")} and ${shownResult("playwright-report")}.`,
    );
  if (args.sarif && cells > 0) {
    const project = userProject(env)!;
    const file = path.resolve(cwd, args.sarif);
    const version = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    writeFileSync(file, JSON.stringify(sarifLog(readCells(project.name), args.config, version), null, 2));
    console.log(`[repro] SARIF: ${path.relative(cwd, file) || file}`);
  }
  if (args.browser === "all" && cells > 0) {
    const differ = engineDifferences(readCells(userProject(env)!.name));
    console.log(
      differ.length
        ? `[repro] where the engines differ (the same stack, seen by each):\n  ${differ.join("\n  ")}`
        : "[repro] Chromium and Firefox agree on every scenario.",
    );
  }
  // The exit code by level: what breaks fails the run; limits and notes do unless --strict (or the profile needs them).
  const firstExit =
    cells > 0 && !first.signal && first.code !== null
      ? exitFor(readCells(userProject(env)!.name), args, profile)
      : null;
  if (!args.fix || first.code === 0 || cells === 0 || first.signal)
    process.exit(firstExit ?? first.code ?? (first.signal ? 130 : 1));

  // --fix, in rounds: the causes the last run named, fixed on a copy of the config that ran, and every scenario
  // run again on it; until healthy, or nothing more the config can fix, or three rounds.
  const project = userProject(env)!;
  const original = preparedConfigOf(project);
  // The fix is proven in Chromium (as fix-check does): a Firefox column is the same config seen by another engine.
  const chromiumCells = (name: string) => readCells(name).filter(onChromium);
  const firstCells = chromiumCells(project.name);
  if (args.browser !== "chromium") console.log("[repro] --fix: its rounds run and prove the fixes in Chromium");
  keepFirstReports();
  // A chain of the user's two configs: a cause at the edge is fixed on a copy of the edge, beside the inner's.
  const chainEdge = project.edge && "config" in project.edge ? edgeConfigOf(project) : undefined;
  // Its copies' names: the edge's own, or `edge-<name>` where both hops have one name (two nginx.conf).
  const stem = (p: string) => path.basename(p).replace(/\.[^.]*$/, "");
  const edgeGiven =
    args.edgeConfig && stem(args.edgeConfig) === stem(input)
      ? path.join(path.dirname(args.edgeConfig), `edge-${path.basename(args.edgeConfig)}`)
      : (args.edgeConfig ?? "");
  let ran = { env, input, cells: firstCells, warnings: first.warnings };
  let lastCode: number | null = first.code;
  let finalFiles: PreparedConfig["original"] | null = null;
  let finalEdgeFiles: PreparedConfig["original"] | null = null;
  const fixedBy: string[] = [];
  const costs: string[] = [];
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const current = userProject({ ...ran.env, [USER_ENV.versions]: "" })!;
    const config = preparedConfigOf(current);
    const next = nextCopy(config, ran.cells);
    const edgeNow = chainEdge ? edgeConfigOf(current) : undefined;
    const nextEdge = edgeNow ? nextCopy(edgeNow, ran.cells) : null;
    if (!next && !nextEdge) {
      if (round === 1) {
        console.log(
          "[repro] --fix: no broken scenario has a cause in the proxy config; what is left is for the app or the proxy's version (see the diagnosis above).",
        );
        process.exit(firstExit ?? first.code ?? 1);
      }
      break;
    }
    const bugs = [...new Set([...(next?.bugs ?? []), ...(nextEdge?.bugs ?? [])])].sort(
      (a, b) => Number(a.slice(1)) - Number(b.slice(1)),
    );
    const copy = next
      ? writeCopy(config, next.files, copyPath(original, input, `round${round}`, path.join(RESULTS_DIR, "fix-rounds")))
      : ran.input;
    if (next)
      console.log(
        `[repro] --fix, round ${round}: the fixes for ${next.bugs.join(", ")}, on ${path.relative(cwd, copy)}:\n${diffFrom(config.original, next.files).trimEnd()}`,
      );
    const edgeCopy =
      nextEdge && edgeNow && chainEdge
        ? writeCopy(
            edgeNow,
            nextEdge.files,
            copyPath(chainEdge, edgeGiven, `round${round}`, path.join(RESULTS_DIR, "fix-rounds")),
          )
        : undefined;
    if (nextEdge && edgeNow && edgeCopy)
      console.log(
        `[repro] --fix, round ${round}: at the edge, the fixes for ${nextEdge.bugs.join(", ")}, on ${path.relative(cwd, edgeCopy)}:\n${diffFrom(edgeNow.original, nextEdge.files).trimEnd()}`,
      );
    const roundName = `${project.name}.fix${round}`;
    const roundEnv: NodeJS.ProcessEnv = {
      ...ran.env,
      [USER_ENV.config]: path.resolve(cwd, copy),
      [USER_ENV.shown]: path.relative(cwd, copy),
      [USER_ENV.proxy]: project.proxy,
      [USER_ENV.name]: roundName,
      [BROWSER_ENV]: "chromium",
      ...(edgeCopy ? { [USER_ENV.edgeConfig]: edgeCopy, [USER_ENV.edgeShown]: path.relative(cwd, edgeCopy) } : {}),
    };
    // The copy runs on the versions the original ran on, where nginx -t accepts it (a fix may use newer words).
    if (env[USER_ENV.versions]) {
      const versions = (env[USER_ENV.versions] ?? "").split(",").filter(isNginxVersion);
      const [again] = await nginxVersionSweep([userProject({ ...roundEnv, [USER_ENV.versions]: "" })!], versions);
      for (const r of again!.rejected)
        console.log(`[repro] nginx ${r.version} rejects the round ${round} copy: ${r.said}`);
      if (again!.accepted.length === 0) process.exit(1);
      roundEnv[USER_ENV.versions] = again!.accepted.join(",");
    }
    const result = await runScenarios(roundEnv, only);
    const after = chromiumCells(roundName);
    for (const line of beforeAfter(ran.cells, after, `round ${round}`)) console.log(line);
    // A cell the round broke: named with the fixes that unmasked it; the next round fixes it, or it is their cost.
    for (const u of unmasked(ran.cells, after)) {
      const line = `${u.scenario}${/@([\d.]+)$/.exec(u.variant)?.[0] ?? ""} ${u.diagnosis ? `(${u.diagnosis.bug}) ` : ""}was healthy before round ${round}: unmasked by the fix for ${bugs.join(", ")}`;
      console.log(`[repro] ${line}`);
      costs.push(line);
    }
    fixedBy.push(...bugs);
    if (next) finalFiles = readCopyFiles(original, next.files);
    if (nextEdge && chainEdge) finalEdgeFiles = readCopyFiles(chainEdge, nextEdge.files);
    ran = { env: roundEnv, input: copy, cells: after, warnings: result.warnings };
    lastCode = result.code;
    if (result.code === 0 || result.signal) break;
  }
  if (!finalFiles && !finalEdgeFiles) process.exit(firstExit ?? first.code ?? 1);
  // Each hop's corrected copy and diff (a chain's edge too, where a cause was there), the sum of the rounds.
  const written = (config: PreparedConfig, given: string, files: PreparedConfig["original"]) => {
    const at = writeCopy(config, files, copyPath(config, given, "fixed"));
    const diff = diffFrom(config.original, files);
    const diffPath = path.join(
      RESULTS_DIR,
      `${path.basename(given).replace(/\.[^.]*$/, "") || path.basename(given)}.fix.diff`,
    );
    writeFileSync(diffPath, diff);
    console.log(
      `[repro] --fix: corrected copy ${path.relative(cwd, at)}, diff ${path.relative(cwd, diffPath)} (your files are not touched), the sum of the rounds:\n${diff.trimEnd()}`,
    );
    return at;
  };
  const edgeFixed = finalEdgeFiles && chainEdge ? written(chainEdge, edgeGiven, finalEdgeFiles) : undefined;
  const fixedPath = finalFiles ? written(original, input, finalFiles) : path.resolve(cwd, input);
  // What the user takes away: each hop's corrected copy (a chain whose only causes were at the edge: the edge's).
  const copies = [...(edgeFixed ? [edgeFixed] : []), ...(finalFiles ? [fixedPath] : [])]
    .map((p) => path.relative(cwd, p))
    .join(" and ");
  for (const line of beforeAfter(firstCells, ran.cells, "from your config to the corrected copy")) console.log(line);
  // A cause only a newer nginx removes, on a config pinned to one version: the corrected copy is run on the newer
  // ones too, so "nginx 1.25 and later send HEADERS at once" is shown, not only said.
  let proven = ran.cells;
  const versionBound = ran.cells.some(
    (c) => c.healthy === false && (c.diagnosis?.faults ?? []).some((f) => f.fixIn === "version"),
  );
  if (versionBound && args.version && project.proxy === "nginx") {
    const newer = NGINX_VERSION_LIST.filter((v) => compareVersions(v, args.version!) > 0);
    const provedName = `${project.name}.fixed`;
    const provedEnv: NodeJS.ProcessEnv = {
      ...ran.env,
      [USER_ENV.config]: fixedPath,
      [USER_ENV.shown]: path.relative(cwd, fixedPath),
      [USER_ENV.name]: provedName,
      [USER_ENV.version]: "",
    };
    const [sweep] = newer.length ? await nginxVersionSweep([userProject(provedEnv)!], newer) : [undefined];
    if (sweep && sweep.accepted.length > 0) {
      console.log(
        `[repro] a cause only a newer nginx removes: the corrected copy on nginx ${versionList(sweep.accepted)} too`,
      );
      await runScenarios({ ...provedEnv, [USER_ENV.versions]: sweep.accepted.join(",") }, only);
      // The pinned version's cells, named by it, beside the newer ones.
      proven = [
        ...ran.cells.map((c) => ({ ...c, variant: `${c.variant}@${args.version}` })),
        ...chromiumCells(provedName),
      ];
    }
  }
  const left = ran.cells.filter((c) => c.healthy === false);
  const stillUnmasked = costs.filter((c) => left.some((l) => c.startsWith(`${l.scenario}`)));
  for (const c of stillUnmasked) console.log(`[repro] the cost of the fix: ${c}, and no config line heals it`);
  for (const line of remaining(proven)) console.log(`[repro] still not healthy: ${line}`);
  // The fix must load as cleanly as the original: a warning it adds is a failure of the fix.
  const shownFixed = path.relative(cwd, ran.input);
  // Each hop's copy named as the user's file, so a warning the original had too is not counted as the fix's.
  const edgeShownFixed = ran.env[USER_ENV.edgeShown];
  const norm = (w: string) => {
    const own = w
      .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, "")
      .split(shownFixed)
      .join(args.config);
    return edgeShownFixed && args.edgeConfig ? own.split(edgeShownFixed).join(args.edgeConfig) : own;
  };
  const added = ran.warnings.filter((w) => !first.warnings.map(norm).includes(norm(w)));
  if (added.length) console.log(`[repro] the corrected copy adds checker warnings:\n  ${added.join("\n  ")}`);
  console.log(
    lastCode === 0
      ? `[repro] the corrected copy is healthy: ${copies} (fixed: ${[...new Set(fixedBy)].join(", ")}). Reports of the first run: ${shownResult("before-fix")}.`
      : `[repro] the corrected copy is not healthy in every scenario (above). Reports of the first run: ${shownResult("before-fix")}.`,
  );
  if (added.length) process.exit(1);
  // A round cut short by a signal has cells not run: its findings are not the whole story.
  if (lastCode === null) process.exit(130);
  process.exit(lastCode === 0 ? 0 : (exitFor(ran.cells, args, profile) ?? (lastCode || 1)));
}

/** The exit code of a run's cells, said in a line with the rule that gave it; null when there are none. */
function exitFor(
  cells: ReturnType<typeof readCells>,
  args: Args,
  profile: { profile: AppProfile; from: string } | null,
): number | null {
  if (cells.length === 0) return null;
  const rule = exitRule(cells, args.strict, profile?.from ?? null);
  console.log(`[repro] ${rule.line}`);
  if (!profile && rule.limits.length) {
    console.log(
      `[repro] to turn the limits into pass or fail for your app, write what it needs in proxylab.json (or --profile <file>), e.g.:\n${suggestedProfile(rule.limits)}`,
    );
  }
  return rule.code;
}

/** The rounds --fix runs at most: each fixes what the run before it named. */
const MAX_ROUNDS = 3;

/** The last copy's files under the user's own paths, so the final diff and copy read as the user's files. */
function readCopyFiles(original: PreparedConfig, files: PreparedConfig["original"]): PreparedConfig["original"] {
  return files.map((f, i) => ({ ...original.original[i]!, text: f.text }));
}

/** How stack/containers/proxy.ts words a config its proxy's checker refused (`nginx -t rejected <file>:`). */
const CHECKER_REJECTED = new RegExp(
  `(${Object.values(PROXY_KINDS)
    .map((k) => k.checkCommand.join(" ").replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("|")}) rejected `,
);

/** The lines a proxy's checker warned with (stack/config-check.ts prints them under "… warns:"). */
function checkerWarnings(output: string): string[] {
  const lines = output.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++)
    if (/warns:$/.test(lines[i]!))
      for (let j = i + 1; j < lines.length && /^ {2}\S/.test(lines[j]!); j++) out.push(lines[j]!.trim());
  return out;
}

/** One Playwright run of every scenario (or one) on the config the env names; resolves when it has ended. */
function runScenarios(
  env: NodeJS.ProcessEnv,
  { scenario, skip }: { scenario: string | undefined; skip: readonly string[] },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; warnings: string[]; rejected: boolean }> {
  // Playwright matches --grep against the title path ("<project> <file> <title>"): the scenario starts a title.
  const grep = [
    ...(scenario ? ["--grep", `(^|\\s)${scenario}:`] : []),
    ...(skip.length ? ["--grep-invert", `(^|\\s)(${skip.join("|")}):`] : []),
  ];
  // Passed through as it comes; the proxy checker's warnings are kept (--fix must add none).
  const child = spawn(PLAYWRIGHT[0], [PLAYWRIGHT[1], "test", ...grep], {
    cwd: ROOT,
    stdio: ["inherit", "pipe", "pipe"],
    env: { FORCE_COLOR: process.stdout.isTTY ? "1" : "0", ...env },
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => {
    process.stdout.write(d);
    output += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    process.stderr.write(d);
    output += d.toString();
  });
  // Ctrl-C reaches the child through the terminal's process group; a plain `kill` of this process is passed on.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, forward);
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      for (const s of ["SIGINT", "SIGTERM"] as const) process.off(s, forward);
      resolve({ code, signal, warnings: checkerWarnings(output), rejected: CHECKER_REJECTED.test(output) });
    }),
  );
}

void main();
