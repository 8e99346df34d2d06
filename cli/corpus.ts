/**
 * `npm run corpus [-- --quick] [-- --one-version] [-- --scenario <name>] [-- <id> …]`: every config of corpus/ (copied verbatim from public projects), run
 * unedited as `npm run repro` runs a user's, and compared cell by cell with the verdicts written for it in its
 * expected.json before it was first run. Configs that cannot run as published must fail the way written
 * (`runs: false`, with the error). The runnable ones run together, one project each: their idle holds in a phase
 * of their own (runCells).
 * Prints each config's adaptations and every cell's verdict against the written one; writes
 * test-results/corpus.json. Exit 0 only if every verdict matches.
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../docker/images";
import { RESULTS_DIR } from "../lib/results";
import {
  CORPUS_DIR,
  CORPUS_VERSIONS_ENV,
  corpusEnv,
  corpusWant,
  readCorpusEntry,
  type CorpusEntry,
  userProject,
  userProjects,
  USER_ENV,
} from "../proxies/projects";
import { nginxVersionSweep, versionList } from "../stack/version-sweep";
import { planStack } from "../stack/plan";
import { describeConfig } from "./repro/describe";
import { PLAYWRIGHT, TSX } from "../lib/bins";
import { BROWSER_ENV } from "../lib/browsers";

const say = (line: string) => console.log(`[corpus] ${line}`);

interface Cell {
  scenario: string;
  variant: string;
  state: string;
  healthy: boolean | null;
  diagnosis: { bug: string } | null;
  problems: string[];
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  echo: boolean,
): Promise<{ code: number | null; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      // Verdicts were written from Chromium's runs: the corpus runs in Chromium whatever the shell exports.
      env: { ...process.env, FORCE_COLOR: "0", [BROWSER_ENV]: "chromium", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const take = (d: Buffer) => {
      output += d.toString();
      if (echo) for (const line of d.toString().split("\n")) if (/^\[(matrix|proxylab)\]/.test(line)) say(line);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("exit", (code) => resolve({ code, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** A title of an idle-timeout cell starts with the scenario's name (its holds run in a phase of their own). */
const IDLE_CELLS = "(^|\\s)idle-timeout:";
/**
 * Workers for the idle holds: each cell only waits (35-130 s, a quiet stream and socket), so they run side by side,
 * each a worker process and a Chromium (a few hundred MiB together). PROXYLAB_WORKERS, when set, wins here too.
 */
const IDLE_WORKERS = Number(process.env.PROXYLAB_WORKERS ?? 20);

/**
 * The runnable configs' cells, as one matrix (test-results/matrix.json, .html, .md). Two phases when the idle
 * holds are waited out: every other cell with the matrix's two workers, whose timing verdicts were measured that
 * way; then the idle holds side by side, since a wait costs no core. Each phase writes a blob report, and
 * Playwright's merge-reports joins them into the one matrix that fix-check reads after the corpus.
 */
async function runCells(
  runnable: string[],
  versions: Record<string, string>,
  scenario: string | undefined,
  quick: boolean,
): Promise<{ code: number | null; output: string; seconds: number }> {
  const env = {
    PROXYLAB_CORPUS: runnable.join(","),
    [CORPUS_VERSIONS_ENV]: JSON.stringify(versions),
    ...(quick ? { PROXYLAB_QUICK: "1" } : {}),
  };
  const test = [PLAYWRIGHT[1], "test"];
  // --scenario: one scenario's cells (a title starts with its name), e.g. after adding it.
  if (scenario) {
    say(`${runnable.length} configs, one project each, ${scenario} only: npx playwright test`);
    const workers = scenario === "idle-timeout" && !quick ? { PROXYLAB_WORKERS: String(IDLE_WORKERS) } : {};
    return run(PLAYWRIGHT[0], [...test, "--grep", `(^|\\s)${scenario}:`], { ...env, ...workers }, true);
  }
  if (quick) {
    say(`${runnable.length} configs, one project each: npx playwright test`);
    return run(PLAYWRIGHT[0], test, env, true);
  }
  const blobs = path.join(RESULTS_DIR, "corpus-blob-reports");
  rmSync(blobs, { recursive: true, force: true });
  mkdirSync(blobs, { recursive: true });
  const phases = [
    { name: "cells", what: "every cell but the idle holds, 2 workers", args: ["--grep-invert", IDLE_CELLS], env: {} },
    {
      name: "idle",
      what: `the idle holds, up to ${IDLE_WORKERS} side by side`,
      args: ["--grep", IDLE_CELLS, "--pass-with-no-tests"],
      env: { PROXYLAB_WORKERS: String(IDLE_WORKERS) },
    },
  ];
  let code: number | null = 0;
  let output = "";
  let seconds = 0;
  for (const [i, phase] of phases.entries()) {
    say(`${runnable.length} configs, one project each; phase ${i + 1} of 2, ${phase.what}: npx playwright test`);
    const r = await run(
      PLAYWRIGHT[0],
      [...test, ...phase.args],
      { ...env, ...phase.env, PROXYLAB_BLOB_REPORT: `corpus-${phase.name}` },
      true,
    );
    say(`phase ${i + 1} of 2 done in ${r.seconds.toFixed(0)} s (exit ${r.code})`);
    // A run that wrote no report (it failed before any cell) leaves the other phase's cells to show.
    const blob = path.join(RESULTS_DIR, "blob-report", `report-corpus-${phase.name}.zip`);
    if (existsSync(blob)) copyFileSync(blob, path.join(blobs, path.basename(blob)));
    if (code === 0) code = r.code;
    output += r.output;
    seconds += r.seconds;
  }
  if (readdirSync(blobs).length === 0) return { code: code || 1, output, seconds };
  const merged = await run(
    PLAYWRIGHT[0],
    [PLAYWRIGHT[1], "merge-reports", "--config", "scenarios/reporter/merge.config.ts", blobs],
    {},
    false,
  );
  if (merged.code !== 0) return { code: merged.code, output: merged.output, seconds };
  return { code, output, seconds };
}

/**
 * Each nginx version of a swept config against what was written (`versions`, or where measurement corrected it,
 * `measuredVersions`): "runs…", or why it is left out (its nginx -t refuses it, or the browser cannot talk to it).
 */
function versionCheck(
  id: string,
  entry: CorpusEntry,
  rejected: ReadonlyArray<{ version: string; said: string }>,
  accepted: string,
  unreachable: ReadonlyMap<string, string>,
  notRun: readonly string[] = [],
): { ok: boolean; lines: string[] } {
  const all = [...accepted.split(",").filter(Boolean), ...rejected.map((r) => r.version), ...notRun].sort();
  const lines: string[] = [];
  let ok = true;
  for (const v of all) {
    if (notRun.includes(v)) {
      lines.push(`   nginx ${v.padEnd(14)} nginx -t accepts it; its cells not run (--one-version)`);
      continue;
    }
    const said = rejected.find((r) => r.version === v)?.said ?? unreachable.get(`${id}@${v}`);
    const want = entry.measuredVersions?.[v] ?? entry.versions?.[v] ?? "runs";
    // "runs", or "runs (with a deprecation warning)": anything else says why it is left out.
    const writtenRuns = /^runs\b/.test(want);
    const match = said === undefined ? writtenRuns : !writtenRuns;
    ok &&= match;
    const written = entry.measuredVersions?.[v]
      ? `${/^runs\b/.test(entry.versions?.[v] ?? "runs") ? "runs" : "left out"} (measured ${writtenRuns ? "runs" : "left out"})`
      : writtenRuns
        ? "runs"
        : "left out";
    lines.push(
      `${match ? "  " : "XX"} nginx ${v.padEnd(14)} written ${written}; ${said === undefined ? "runs" : `left out: ${said}`}`,
    );
  }
  return { ok, lines };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { quick: { type: "boolean" }, "one-version": { type: "boolean" }, scenario: { type: "string" } },
    allowPositionals: true,
  });
  const ids = positionals.length
    ? positionals
    : readdirSync(CORPUS_DIR)
        .filter((d) => !d.includes("."))
        .sort();
  const entries = ids.map((id) => ({ id, entry: readCorpusEntry(id) }));
  const results: Array<{ id: string; ok: boolean; lines: string[] }> = [];

  // Configs that cannot run as published: exit 2 (input the harness cannot run), the error as written, in seconds.
  for (const { id, entry } of entries.filter((e) => !e.entry.runs)) {
    const r = await run(
      TSX[0],
      [
        TSX[1],
        "cli/repro.ts",
        "--config",
        path.join(CORPUS_DIR, id, entry.config),
        // A chain's second config is a file of the entry too.
        ...entry.args.map((a, i) => (entry.args[i - 1] === "--config" ? path.join(CORPUS_DIR, id, a) : a)),
        "--quick",
      ],
      {},
      false,
    );
    const ok = r.code === 2 && new RegExp(entry.error ?? "$^").test(r.output);
    const said =
      r.output.split("\n").find((l) => new RegExp(entry.error ?? "$^").test(l)) ??
      r.output.trim().split("\n").slice(-3).join(" | ");
    results.push({
      id,
      ok,
      lines: [
        `${ok ? "ok" : "NOT AS WRITTEN"}: fails as written (exit ${r.code}, ${r.seconds.toFixed(1)} s): ${said.trim()}`,
      ],
    });
    say(`${id}: ${results.at(-1)!.lines[0]}`);
  }

  // The rest run together, each held to its written verdicts (proxies/projects.ts corpusProjects, scenarios/judge.ts).
  const runnable = entries.filter((e) => e.entry.runs).map((e) => e.id);
  if (runnable.length) {
    // nginx configs without --version run on every version whose nginx -t accepts them, as `npm run repro` does.
    const swept = runnable.filter((id) => {
      const env = corpusEnv(id);
      return userProject(env)!.proxy === "nginx" && !env[USER_ENV.version];
    });
    const versions: Record<string, string> = {};
    const rejected = new Map<string, Array<{ version: string; said: string }>>();
    const notRun = new Map<string, string[]>();
    if (swept.length) {
      say(`nginx versions: asking nginx -t of each version about ${swept.length} configs`);
      const sweeps = await nginxVersionSweep(swept.map((id) => userProject(corpusEnv(id))!));
      swept.forEach((id, i) => {
        versions[id] = sweeps[i]!.accepted.join(",");
        // --one-version (CI's budget): every version's nginx -t is still checked, cells run on one: the oldest
        // accepted one the written verdicts say the browser can talk to.
        if (values["one-version"]) {
          const entry = readCorpusEntry(id);
          const runs = (v: string) => /^runs\b/.test(entry.measuredVersions?.[v] ?? entry.versions?.[v] ?? "runs");
          const one = sweeps[i]!.accepted.find(runs);
          notRun.set(
            id,
            sweeps[i]!.accepted.filter((v) => v !== one),
          );
          versions[id] = one ?? "";
        }
        rejected.set(id, sweeps[i]!.rejected);
        say(`${id}: runs on nginx ${versionList(sweeps[i]!.accepted) || "none"}`);
      });
    }
    for (const id of runnable) {
      const project = userProjects({ ...corpusEnv(id), [USER_ENV.versions]: versions[id] ?? "" })[0];
      if (!project) continue;
      say(`${id}:\n${describeConfig(project, planStack(project, 0), { path: project.user?.prefix })}`);
    }
    const r = await runCells(
      runnable.filter((id) => !swept.includes(id) || versions[id]),
      versions,
      values.scenario,
      values.quick === true,
    );
    const matrix = JSON.parse(readFileSync(path.join(RESULTS_DIR, "matrix.json"), "utf8")) as {
      cells: Cell[];
    };
    // A version the browser could not talk to at all (the global setup says so once): left out like a rejection.
    const unreachable = new Map<string, string>();
    for (const m of r.output.matchAll(/^\[proxylab\] (\S+): no scenario runs on it: (.*)$/gm))
      unreachable.set(m[1]!, m[2]!);
    for (const id of runnable) {
      const entry = readCorpusEntry(id);
      const version = versionCheck(id, entry, rejected.get(id) ?? [], versions[id] ?? "", unreachable, notRun.get(id));
      const lines: string[] = [...version.lines];
      let ok = version.ok;
      const columns = versions[id]
        ? versions[id]
            .split(",")
            .filter((v) => !unreachable.has(`${id}@${v}`))
            .map((v) => ({ v, column: `${id}@${v}` }))
        : [];
      for (const [scenario, p] of Object.entries(entry.predicted ?? {}))
        for (const { v, column } of columns.length ? columns : [{ v: undefined, column: id }]) {
          if (values.scenario && scenario !== values.scenario) continue;
          const cell = matrix.cells.find((c) => c.variant === column && c.scenario === scenario);
          const seen = !cell
            ? "not run"
            : cell.state === "skipped"
              ? "not checked"
              : cell.state === "error"
                ? `error: ${cell.problems[0] ?? ""}`
                : cell.healthy
                  ? "healthy"
                  : (cell.diagnosis?.bug ?? "broken");
          const want = corpusWant(p, v);
          const match =
            seen === want || (values.quick === true && scenario === "idle-timeout" && seen === "not checked");
          ok &&= match;
          const writtenHere = (v && p.byVersion?.[v]) || p.verdict;
          const written = want !== writtenHere ? `${writtenHere} (measured ${want})` : writtenHere;
          const label = v ? `${scenario} @${v}` : scenario;
          lines.push(`${match ? "  " : "XX"} ${label.padEnd(28)} written ${written.padEnd(8)} observed ${seen}`);
        }
      results.push({ id, ok, lines });
    }
    if (r.code !== 0 && results.every((x) => x.ok))
      results.push({
        id: "(run)",
        ok: false,
        lines: [`playwright exited ${r.code}: ${r.output.split("\n").slice(-5).join(" | ")}`],
      });
  }

  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, "corpus.json"), JSON.stringify(results, null, 2));
  console.log("");
  for (const r of results) console.log(`${r.ok ? "ok" : "XX"} ${r.id}\n${r.lines.map((l) => `   ${l}`).join("\n")}`);
  const bad = results.filter((r) => !r.ok);
  say(
    `${results.length - bad.length} of ${results.length} configs as written${bad.length ? `; not: ${bad.map((b) => b.id).join(", ")}` : ""}`,
  );
  if (bad.length) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(`[corpus] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
