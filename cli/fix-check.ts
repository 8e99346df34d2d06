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
import { fixedCopy, type Fault } from "../proxies/faults";
import {
  CORPUS_DIR,
  CORPUS_VERSIONS_ENV,
  corpusProjects,
  formatPublish,
  getProject,
  nginxVersionOf,
  prefixOf,
  preparedConfigOf,
  publishedOf,
  replicasOf,
  topologyOf,
  USER_ENV,
  type Project,
} from "../proxies/projects";
import type { MatrixCell } from "./repro/fix";
import { PLAYWRIGHT } from "../lib/bins";

const RESULTS = RESULTS_DIR;
const OUT = path.join(RESULTS, "fix-check");
const say = (line: string) => console.log(`[fix-check] ${line}`);

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
      env: { ...process.env, PROXYLAB_CONFIG_LIST: listFile },
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
  const before = readMatrix(source);
  const columns = [...new Set(before.map((c) => c.variant))];

  const list: NodeJS.ProcessEnv[] = [];
  const notRun = new Set<string>();
  const kinds = new Map<string, string>();
  for (const name of columns) {
    const broken = before.filter((c) => c.variant === name && c.healthy === false);
    const faults = broken.flatMap((c) => c.diagnosis?.faults ?? []);
    if (!faults.some((f) => f.fixIn === "config")) continue;
    const project = projectOf(name);
    // A user's config runs single-origin, under a prefix, behind a port mapping or over replicas, not as a split
    // front end and API (its frontend.js and app.env are the variant's): such a copy is not run here.
    if (topologyOf(project) === "split-origin") {
      notRun.add(name);
      say(`${name}: a split-origin copy cannot run as a user's config yet: its fix is not proven here`);
      continue;
    }
    const config = preparedConfigOf(project);
    const fixed = fixedCopy(config, faults);
    if (fixed.edits === 0) {
      say(`${name}: its config-side causes name no line the harness can edit (a stock file's?): not proven here`);
      continue;
    }
    const dir = path.join(OUT, name);
    mkdirSync(dir, { recursive: true });
    // One file each (the registry's and the corpus's configs are single files or dumps written as one).
    const file = path.join(dir, path.basename(config.shown));
    writeFileSync(
      file,
      fixed.files.length > 1
        ? fixed.files.map((f) => `# configuration file ${f.target}:\n${f.text}`).join("\n")
        : fixed.files[0]!.text,
    );
    writeFileSync(path.join(dir, "fix.diff"), fixed.diff);
    kinds.set(fixedName(name), project.proxy);
    kinds.set(name, project.proxy);
    list.push({
      [USER_ENV.config]: file,
      [USER_ENV.shown]: path.relative(ROOT, file),
      [USER_ENV.name]: fixedName(name),
      [USER_ENV.proxy]: project.proxy,
      [USER_ENV.version]: project.proxy === "nginx" ? nginxVersionOf(project) : "",
      [USER_ENV.prefix]: prefixOf(project),
      [USER_ENV.publish]: formatPublish(publishedOf(project)),
      [USER_ENV.replicas]: String(replicasOf(project)),
      [USER_ENV.env]: Object.entries(project.user?.env ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join("\n"),
      // A registry variant's column has no idle-timeout cell (its rows show the cut time-scaled): none to prove.
      ...(before.some((c) => c.variant === name && c.scenario === "idle-timeout") ? {} : { [USER_ENV.skipIdle]: "1" }),
    });
    say(`${name}: ${fixed.edits} edit(s) → ${path.relative(ROOT, file)}`);
  }
  // Written on every run, so a report of an earlier matrix is never read as this one's.
  rmSync(path.join(RESULTS, "fix-check.json"), { force: true });
  if (list.length === 0 && notRun.size === 0) {
    say("no broken cell of the last run has a cause in its config: nothing to prove");
    return;
  }
  if (list.length === 0) say(`no corrected copy to run (${[...notRun].join(", ")}: split-origin, not run here)`);
  const code = list.length === 0 ? 0 : await runCopies(list);
  const after = readMatrix(source);

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
  const bad = [...tally.values()].some((x) => x.notHealed.length > 0 || x.regressed.length > 0);
  if (bad || (code !== 0 && code !== 1)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(`[fix-check] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
