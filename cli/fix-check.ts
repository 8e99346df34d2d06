/**
 * `npm run fix-check`: proves the fixes of the last run. Reads test-results/matrix.json (of the matrix, or of
 * `npm run corpus`), writes each broken column's corrected copy (the edits its diagnoses name, on its own
 * config) to test-results/fix-check/, runs every scenario on all of them in one Playwright run, and reports per
 * proxy kind: cells broken, cells whose cause is in the config, how many of those are healthy on the corrected
 * copy, what is left to the app or the proxy's version, and any cell the fix broke. Writes
 * test-results/fix-check.json. Exit 0 only if every cell with a config-only cause is healthy after, and no
 * healthy cell broke.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../docker/images";
import { RESULTS_DIR } from "../lib/results";
import type { Fault } from "../proxies/faults";
import {
  CORPUS_DIR,
  CORPUS_VERSIONS_ENV,
  corpusProjects,
  formatPublish,
  getProject,
  nginxVersionOf,
  prefixOf,
  preparedConfigOf,
  edgeConfigOf,
  publishedOf,
  replicasOf,
  topologyOf,
  userProject,
  USER_ENV,
  type Project,
} from "../proxies/projects";
import { diffFrom, nextCopy, unmasked, writeCopy, type MatrixCell } from "./repro/fix";
import { compareVersions, NGINX_VERSION_LIST } from "../proxies/nginx/versions";
import type { PreparedConfig } from "../proxies/prepare";
import { PLAYWRIGHT } from "../lib/bins";
import { BROWSER_ENV, onChromium } from "../lib/browsers";
import { nginxVersionSweep, versionList } from "../stack/version-sweep";

const RESULTS = RESULTS_DIR;
const OUT = path.join(RESULTS, "fix-check");
const say = (line: string) => console.log(`[fix-check] ${line}`);

/** The edge a column ran behind, as the env of a repro run of its copy. */
function edgeEnv(project: Project): NodeJS.ProcessEnv {
  const edge = project.edge;
  if (!edge) return {};
  if ("stock" in edge) return { [USER_ENV.behind]: `tls:idle=${edge.stock.idleS}` };
  if ("config" in edge) return { [USER_ENV.edgeConfig]: edge.config, [USER_ENV.edgeShown]: edge.shown };
  // A registry variant's own edge file, where its folder holds it.
  const shown = edgeConfigOf(project)!.shown;
  return { [USER_ENV.edgeConfig]: path.resolve(ROOT, shown), [USER_ENV.edgeShown]: shown };
}

/** The corrected copy's column: names allow no '@' (they name containers), so `fixed@1.26` → `fixed-1.26.fixed`. */
const fixedName = (name: string) => `${name.replace(/@/g, "-")}.fixed`;

const readMatrix = (file: string) => (JSON.parse(readFileSync(file, "utf8")) as { cells: MatrixCell[] }).cells;

/** A column of the last run as a project: a registry variant, or a corpus config. */
function projectOf(name: string): Project {
  // A corpus config on one version of the sweep: `<id>@<version>`.
  const [id, version] = name.split("@") as [string, string | undefined];
  if (existsSync(path.join(CORPUS_DIR, id, "expected.json")))
    return corpusProjects([id], { [CORPUS_VERSIONS_ENV]: JSON.stringify(version ? { [id]: version } : {}) })[0]!;
  return getProject(name);
}

/** Whether fixing the config alone can heal a cell: a config fault, and none that only a new version fixes. */
const configFixable = (faults: readonly Fault[]) =>
  faults.some((f) => f.fixIn === "config") && !faults.some((f) => f.fixIn === "version");

/** A broken cell in one line: its field report and causes (or why), else the test's first problem. */
const whatBroke = (a: MatrixCell) =>
  a.diagnosis
    ? `${a.diagnosis.bug}: ${(a.diagnosis.faults ?? []).map((f) => f.cause).join(" ") || a.diagnosis.why}`
    : (a.problems[0]?.split("\n")[0] ?? "broken");

/** Runs the corrected copies as a user's configs (one project each); the matrix they write replaces the last. */
function runCopies(list: NodeJS.ProcessEnv[]): Promise<number | null> {
  const listFile = path.join(OUT, "configs.json");
  writeFileSync(listFile, JSON.stringify(list, null, 2));
  say(`${list.length} corrected copies: npx playwright test`);
  return new Promise<number | null>((resolve) => {
    const child = spawn(PLAYWRIGHT[0], [PLAYWRIGHT[1], "test"], {
      cwd: ROOT,
      env: { ...process.env, PROXYLAB_CONFIG_LIST: listFile, [BROWSER_ENV]: "chromium" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Progress lines as they come; the rest is kept, to show if the run fails before its cells.
    const rest: string[] = [];
    let ran = false;
    const take = (d: Buffer) => {
      for (const line of d.toString().split("\n"))
        if (/^\[(matrix|proxylab)\]/.test(line)) {
          console.log(line);
          ran ||= /cells done/.test(line);
        } else if (line.trim()) rest.push(line);
    };
    child.on("exit", (c) => {
      if (c !== 0 && !ran) console.error(`[fix-check] the run stopped before any cell:\n${rest.slice(-20).join("\n")}`);
    });
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("exit", resolve);
  });
}

async function main(): Promise<void> {
  const source = path.join(RESULTS, "matrix.json");
  if (!existsSync(source))
    throw new Error("no test-results/matrix.json: run the matrix (npm test) or npm run corpus first");
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  copyFileSync(source, path.join(OUT, "source-matrix.json"));
  // A config's fix is proven in Chromium: a Firefox column is the same config seen by a second engine.
  const before = readMatrix(source).filter(onChromium);
  const columns = [...new Set(before.map((c) => c.variant))];

  const notRun = new Set<string>();
  const kinds = new Map<string, string>();
  // Each column's work: the config that ran last (its own, then the last round's copy) and what that run showed.
  // A chain's edge (a user's or a registry variant's edge config, not the stock edge) is fixed beside it.
  type Work = {
    name: string;
    config: PreparedConfig;
    edge?: PreparedConfig;
    env: NodeJS.ProcessEnv;
    cells: MatrixCell[];
  };
  const chainEdgeOf = (project: Project) =>
    project.edge && !("stock" in project.edge) ? edgeConfigOf(project) : undefined;
  let work: Work[] = [];
  for (const name of columns) {
    const broken = before.filter((c) => c.variant === name && c.healthy === false);
    if (!broken.some((c) => (c.diagnosis?.faults ?? []).some((f) => f.fixIn === "config"))) continue;
    const project = projectOf(name);
    // A user's config runs single-origin, under a prefix, behind a port mapping or over replicas, not as a split
    // front end and API (its frontend.js and app.env are the variant's): such a copy is not run here.
    if (topologyOf(project) === "split-origin") {
      notRun.add(name);
      say(`${name}: a split-origin copy cannot run as a user's config yet: its fix is not proven here`);
      continue;
    }
    kinds.set(name, project.proxy);
    kinds.set(fixedName(name), project.proxy);
    const edge = chainEdgeOf(project);
    work.push({
      name,
      config: preparedConfigOf(project),
      ...(edge ? { edge } : {}),
      cells: before.filter((c) => c.variant === name),
      env: {
        [USER_ENV.name]: fixedName(name),
        [USER_ENV.proxy]: project.proxy,
        [USER_ENV.version]: project.proxy === "nginx" ? nginxVersionOf(project) : "",
        [USER_ENV.prefix]: prefixOf(project),
        [USER_ENV.publish]: formatPublish(publishedOf(project)),
        [USER_ENV.replicas]: String(replicasOf(project)),
        // The copy runs behind the same edge (docs/edge.md): the stock one, or the chain's first config.
        ...edgeEnv(project),
        [USER_ENV.env]: Object.entries(project.user?.env ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join("\n"),
        // A registry variant's column has no idle-timeout cell (its rows show the cut time-scaled), and a --quick
        // run's was not checked: none to prove, and the copy is held to what the run before it checked.
        ...(before.some((c) => c.variant === name && c.scenario === "idle-timeout" && c.state !== "skipped")
          ? {}
          : { [USER_ENV.skipIdle]: "1" }),
      },
    });
  }
  // Written on every run, so a report of an earlier matrix is never read as this one's.
  rmSync(path.join(RESULTS, "fix-check.json"), { force: true });
  if (work.length === 0 && notRun.size === 0) {
    say("no broken cell of the last run has a cause in its config: nothing to prove");
    return;
  }
  // Rounds, as `repro --fix` runs them: each column's copy fixes what its last run named, until healthy, nothing
  // more is fixable in the config, or three rounds. The last cells of each column are its result.
  const last = new Map<string, { cells: MatrixCell[]; rounds: number; env: NodeJS.ProcessEnv }>();
  const unmaskedBy = new Map<string, string[]>();
  let code: number | null = 0;
  for (let round = 1; round <= 3 && work.length > 0; round++) {
    const list: NodeJS.ProcessEnv[] = [];
    const ran: Array<{ w: Work; bugs: string[]; env: NodeJS.ProcessEnv }> = [];
    for (const w of work) {
      const next = nextCopy(w.config, w.cells);
      const nextEdge = w.edge ? nextCopy(w.edge, w.cells) : null;
      if (!next && !nextEdge) {
        if (round === 1)
          say(`${w.name}: its config-side causes name no line the harness can edit (a stock file's?): not proven here`);
        continue;
      }
      const dir = path.join(OUT, w.name, `round${round}`);
      mkdirSync(dir, { recursive: true });
      // The registry's and the corpus's configs are single files, dumps written as one, or a directory.
      const files = next?.files ?? w.config.original;
      const file = writeCopy(w.config, files, path.join(dir, path.basename(w.config.shown)));
      const edgeFile =
        w.edge && nextEdge
          ? writeCopy(w.edge, nextEdge.files, path.join(dir, "edge", path.basename(w.edge.shown)))
          : undefined;
      writeFileSync(
        path.join(dir, "fix.diff"),
        diffFrom(w.config.original, files) + (w.edge && nextEdge ? diffFrom(w.edge.original, nextEdge.files) : ""),
      );
      const bugs = [...new Set([...(next?.bugs ?? []), ...(nextEdge?.bugs ?? [])])];
      const env = {
        ...w.env,
        [USER_ENV.config]: file,
        [USER_ENV.shown]: path.relative(ROOT, file),
        ...(edgeFile ? { [USER_ENV.edgeConfig]: edgeFile, [USER_ENV.edgeShown]: path.relative(ROOT, edgeFile) } : {}),
      };
      list.push(env);
      ran.push({ w, bugs, env });
      say(
        `${w.name}, round ${round}: the fixes for ${bugs.join(", ")} → ${path.relative(ROOT, file)}${edgeFile ? ` and, at the edge, ${path.relative(ROOT, edgeFile)}` : ""}`,
      );
    }
    if (list.length === 0) break;
    const c = await runCopies(list);
    if (code === 0) code = c;
    const after = readMatrix(source);
    work = [];
    for (const { w, bugs, env } of ran) {
      const cells = after.filter((x) => x.variant === fixedName(w.name));
      for (const u of unmasked(w.cells, cells))
        unmaskedBy.set(`${w.name} ${u.scenario}`, [...(unmaskedBy.get(`${w.name} ${u.scenario}`) ?? []), ...bugs]);
      last.set(w.name, { cells, rounds: round, env });
      const fixable = cells.some((x) => x.healthy === false && configFixable(x.diagnosis?.faults ?? []));
      if (fixable) {
        const project = userProject(env)!;
        const edge = chainEdgeOf(project);
        // The next round's copies start from this round's: both hops', and the edge's copy stays in its env.
        work.push({
          ...w,
          config: preparedConfigOf(project),
          ...(edge ? { edge } : {}),
          env: {
            ...w.env,
            ...(env[USER_ENV.edgeConfig]
              ? { [USER_ENV.edgeConfig]: env[USER_ENV.edgeConfig], [USER_ENV.edgeShown]: env[USER_ENV.edgeShown] }
              : {}),
          },
          cells,
        });
      }
    }
  }
  const after = [...last.values()].flatMap((l) => l.cells);
  for (const [name, l] of last) say(`${name}: ${l.rounds} round${l.rounds > 1 ? "s" : ""}`);
  if (work.length === 0 && last.size === 0 && notRun.size > 0)
    say(`no corrected copy to run (${[...notRun].join(", ")}: split-origin, not run here)`);

  type Tally = {
    healedInConfig: number;
    nowVersionOrApp: string[];
    broken: number;
    config: number;
    healed: number;
    leftApp: number;
    leftVersion: number;
    notHealed: string[];
    regressed: string[];
    exposed: string[];
    notWritten: string[];
    notRun: string[];
    /** Cells the corrected copy has and its column had not (a replicas column runs one scenario, its copy all). */
    onlyOnCopy: number;
    onlyOnCopyBroken: string[];
  };
  const tally = new Map<string, Tally>();
  const t = (kind: string) => {
    if (!tally.has(kind))
      tally.set(kind, {
        broken: 0,
        config: 0,
        healed: 0,
        healedInConfig: 0,
        nowVersionOrApp: [],
        leftApp: 0,
        leftVersion: 0,
        notHealed: [],
        regressed: [],
        exposed: [],
        notWritten: [],
        notRun: [],
        onlyOnCopy: 0,
        onlyOnCopyBroken: [],
      });
    return tally.get(kind)!;
  };
  for (const c of before) {
    const kind = kinds.get(c.variant) ?? projectOf(c.variant).proxy;
    const a = after.find((x) => x.variant === fixedName(c.variant) && x.scenario === c.scenario);
    if (c.healthy !== false) {
      const causes = a?.diagnosis?.faults ?? [];
      // Healthy before, and after the fix broken by a cause no config line holds (nginx 1.22's HTTP/2 holding a
      // quiet stream's headers, once the B5 fix moves the page to HTTP/2): a trade the fix's cause line states.
      if (a && a.healthy === false && causes.length > 0 && !causes.some((f) => f.fixIn === "config"))
        t(kind).exposed.push(`${c.scenario} on ${c.variant}: ${causes.map((f) => f.cause).join(" ")}`);
      else if (a && a.healthy === false) t(kind).regressed.push(`${c.scenario} on ${c.variant}: ${whatBroke(a)}`);
      continue;
    }
    const faults = c.diagnosis?.faults ?? [];
    t(kind).broken++;
    // Only a cell the corrected copy could have healed is "not run"; the others are left as below.
    if (notRun.has(c.variant) && configFixable(faults)) {
      t(kind).notRun.push(`${c.scenario} on ${c.variant}`);
      continue;
    }
    // The cause is in the config, but its fix is advice --fix does not write (TLS for a whole httpd.conf
    // without a <VirtualHost>): counted apart, never as healed.
    if (configFixable(faults) && faults.every((f) => f.fixIn !== "config" || f.edits.length === 0)) {
      t(kind).config++;
      t(kind).notWritten.push(`${c.scenario} on ${c.variant}: ${faults.map((f) => f.fix.join(" ")).join(" ")}`);
    } else if (configFixable(faults)) {
      t(kind).config++;
      if (a?.healthy) t(kind).healed++;
      // What the fix exposed that no config can fix: nginx 1.22's h2 holds the headers of a stream that moved to
      // HTTP/2 with the fix (B5), where HTTP/1.1 had held it in buffers.
      else if (
        a &&
        (a.diagnosis?.faults ?? []).length > 0 &&
        !(a.diagnosis?.faults ?? []).some((f) => f.fixIn === "config")
      ) {
        t(kind).healedInConfig++;
        t(kind).nowVersionOrApp.push(
          `${c.scenario} on ${c.variant}: ${(a.diagnosis?.faults ?? []).map((f) => f.cause).join(" ")}`,
        );
      } else
        t(kind).notHealed.push(
          `${c.scenario} on ${c.variant}: ${a ? (a.diagnosis?.faults ?? []).map((f) => f.cause).join(" ") || `${a.state}: ${a.problems.join("; ") || "no problem recorded"}` : "not run"}`,
        );
    } else if (faults.some((f) => f.fixIn === "version")) t(kind).leftVersion++;
    else t(kind).leftApp++;
  }
  // A copy runs as a user's config, with every scenario its topology has: nothing before to compare those with,
  // so they are reported (broken ones with their cause), neither healed nor broken by the fix.
  for (const name of columns) {
    const copy = fixedName(name);
    if (!kinds.has(copy)) continue;
    for (const a of after.filter((x) => x.variant === copy)) {
      if (before.some((c) => c.variant === name && c.scenario === a.scenario)) continue;
      const x = t(kinds.get(copy)!);
      x.onlyOnCopy++;
      if (a.healthy === false) x.onlyOnCopyBroken.push(`${a.scenario} on ${copy}: ${whatBroke(a)}`);
    }
  }
  const report = Object.fromEntries(tally);
  writeFileSync(path.join(RESULTS, "fix-check.json"), JSON.stringify(report, null, 2));
  for (const [kind, x] of tally) {
    say(
      `${kind}: ${x.broken} broken cells; ${x.config} with their cause in the config: ${x.healed} healthy on the corrected copy, ${x.healedInConfig} fixed in the config but now showing a version's or the app's cause, ${x.notHealed.length} not healed${x.notWritten.length ? `, ${x.notWritten.length} whose fix --fix gives as advice only` : ""}${x.notRun.length ? `, ${x.notRun.length} not run (split-origin)` : ""}; left to the proxy's version ${x.leftVersion}, to the app ${x.leftApp}${x.exposed.length ? `; healthy before, now showing a version's or the app's cause ${x.exposed.length}` : ""}${x.regressed.length ? `; BROKEN BY THE FIX ${x.regressed.length}` : ""}${x.onlyOnCopy ? `; ${x.onlyOnCopy} cells only the copy has (nothing before to compare), ${x.onlyOnCopyBroken.length} of them broken` : ""}`,
    );
    for (const n of x.nowVersionOrApp) say(`  config fixed, now: ${n}`);
    for (const n of x.notHealed) say(`  not healed: ${n}`);
    for (const n of x.notWritten) say(`  fix as advice only: ${n}`);
    for (const n of x.notRun) say(`  not run here: ${n}`);
    for (const r of x.exposed) say(`  exposed by the fix: ${r}`);
    for (const r of x.regressed) say(`  broken by the fix: ${r}`);
    for (const r of x.onlyOnCopyBroken) say(`  only on the copy, broken: ${r}`);
  }
  // The two counts the rounds answer for: every cell whose cause is in the config ends healthy (or healthy on a
  // named newer nginx, proven below), and no cell healthy before any round is broken at the end.
  const newer = await newerVersions(last, kinds);
  const all = [...tally.values()];
  const configCells = all.reduce((n, x) => n + x.config - x.notWritten.length - x.notRun.length, 0);
  const healedCells = all.reduce((n, x) => n + x.healed, 0);
  const onNewer = all.flatMap((x) => x.nowVersionOrApp).filter((n) => newer.some((v) => n.startsWith(v.cell)));
  say(
    `every round: ${healedCells} of ${configCells} cells whose cause is in the config healthy at the end${onNewer.length ? `, ${onNewer.length} more healthy on a newer nginx` : ""}; ${all.reduce((n, x) => n + x.exposed.length + x.regressed.length, 0)} cells healthy before the first round and broken at the end (${all.reduce((n, x) => n + x.regressed.length, 0)} by a cause in the config)`,
  );
  for (const v of newer) say(`  ${v.cell}: ${v.line}`);
  for (const [key, bugs] of unmaskedBy)
    say(`  unmasked in a round by the fix for ${[...new Set(bugs)].join(", ")}: ${key}`);
  const bad = [...tally.values()].some((x) => x.notHealed.length > 0 || x.regressed.length > 0);
  if (bad || (code !== 0 && code !== 1)) process.exitCode = 1;
}

/**
 * Cells whose cause at the end is the nginx version (1.22's HTTP/2 holding a quiet stream's headers): each such
 * column's last copy run on the newer versions, so "healthy on nginx 1.26 and 1.30" is measured, not said.
 */
async function newerVersions(
  last: ReadonlyMap<string, { cells: MatrixCell[]; rounds: number; env: NodeJS.ProcessEnv }>,
  kinds: ReadonlyMap<string, string>,
): Promise<Array<{ cell: string; line: string }>> {
  const list: NodeJS.ProcessEnv[] = [];
  const asked: Array<{ name: string; scenarios: string[]; from: string; refused: string | null }> = [];
  for (const [name, l] of last) {
    if (kinds.get(name) !== "nginx") continue;
    const bound = l.cells.filter(
      (c) => c.healthy === false && (c.diagnosis?.faults ?? []).some((f) => f.fixIn === "version"),
    );
    const from = nginxVersionOf(projectOf(name));
    const versions = NGINX_VERSION_LIST.filter((v) => compareVersions(v, from) > 0);
    if (bound.length === 0 || versions.length === 0) continue;
    const env = { ...l.env, [USER_ENV.name]: `${fixedName(name)}.newer`, [USER_ENV.version]: "" };
    // Only the versions whose nginx -t accepts the copy (`ssl on;` is gone from 1.25.1): one refusal must not
    // stop the others' run.
    const [sweep] = await nginxVersionSweep([userProject({ ...env, [USER_ENV.versions]: "" })!], versions);
    const refused = sweep!.rejected.map((r) => `nginx ${r.version} rejects the copy: ${r.said}`).join("; ") || null;
    asked.push({ name, scenarios: bound.map((c) => c.scenario), from, refused });
    if (sweep!.accepted.length) list.push({ ...env, [USER_ENV.versions]: sweep!.accepted.join(",") });
  }
  if (asked.length === 0) return [];
  say(
    `${asked.length} copies whose cause at the end is nginx ${[...new Set(asked.map((a) => a.from))].join(", ")}'s: run on the newer versions that accept them${list.length < asked.length ? ` (${asked.length - list.length} accepted by none)` : ""}`,
  );
  if (list.length) await runCopies(list);
  const cells = list.length ? readMatrix(path.join(RESULTS, "matrix.json")) : [];
  return asked.flatMap((a) =>
    a.scenarios.map((scenario) => {
      const on = cells.filter((c) => c.variant.startsWith(`${fixedName(a.name)}.newer@`) && c.scenario === scenario);
      const healthy = on.filter((c) => c.healthy).map((c) => c.variant.split("@")[1]!);
      return {
        cell: `${scenario} on ${a.name}`,
        line: healthy.length
          ? `healthy on nginx ${versionList(healthy)}; on ${a.from} the version's cause remains`
          : on.length
            ? `not healthy on nginx ${versionList(on.map((c) => c.variant.split("@")[1]!))} either`
            : `not run on a newer nginx: ${a.refused ?? "its run stopped before this cell"}`,
      };
    }),
  );
}

main().catch((err: unknown) => {
  console.error(`[fix-check] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
