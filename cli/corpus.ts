/**
 * `npm run corpus [-- --quick] [-- --scenario <name>] [-- <id> …]`: every config of corpus/ (copied verbatim from public projects), run
 * unedited as `npm run repro` runs a user's, and compared cell by cell with the verdicts written for it in its
 * expected.json before it was first run. Configs that cannot run as published must fail the way written
 * (`runs: false`, with the error). The runnable ones run together, one project each, in one Playwright run.
 * Prints each config's adaptations and every cell's verdict against the written one; writes
 * test-results/corpus.json. Exit 0 only if every verdict matches.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../docker/images";
import { RESULTS_DIR } from "../lib/results";
import { CORPUS_DIR, corpusEnv, readCorpusEntry, userProject } from "../proxies/projects";
import { planStack } from "../stack/plan";
import { describeConfig } from "./repro/describe";
import { PLAYWRIGHT, TSX } from "../lib/bins";

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
      env: { ...process.env, FORCE_COLOR: "0", ...env },
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

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { quick: { type: "boolean" }, scenario: { type: "string" } },
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
      [TSX[1], "cli/repro.ts", "--config", path.join(CORPUS_DIR, id, entry.config), ...entry.args, "--quick"],
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
    for (const id of runnable) {
      const project = userProject(corpusEnv(id))!;
      say(`${id}:\n${describeConfig(project, planStack(project, 0), { path: project.user?.prefix })}`);
    }
    say(`${runnable.length} configs, one project each: npx playwright test`);
    const r = await run(
      PLAYWRIGHT[0],
      // --scenario: one scenario's cells (a title starts with its name), e.g. after adding it.
      [PLAYWRIGHT[1], "test", ...(values.scenario ? ["--grep", `(^|\\s)${values.scenario}:`] : [])],
      { PROXYLAB_CORPUS: runnable.join(","), ...(values.quick ? { PROXYLAB_QUICK: "1" } : {}) },
      true,
    );
    const matrix = JSON.parse(readFileSync(path.join(RESULTS_DIR, "matrix.json"), "utf8")) as {
      cells: Cell[];
    };
    for (const id of runnable) {
      const entry = readCorpusEntry(id);
      const lines: string[] = [];
      let ok = true;
      for (const [scenario, p] of Object.entries(entry.predicted ?? {})) {
        if (values.scenario && scenario !== values.scenario) continue;
        const cell = matrix.cells.find((c) => c.variant === id && c.scenario === scenario);
        const seen = !cell
          ? "not run"
          : cell.state === "skipped"
            ? "not checked"
            : cell.state === "error"
              ? `error: ${cell.problems[0] ?? ""}`
              : cell.healthy
                ? "healthy"
                : (cell.diagnosis?.bug ?? "broken");
        const want = p.measured ?? p.verdict;
        const match = seen === want || (values.quick === true && scenario === "idle-timeout" && seen === "not checked");
        ok &&= match;
        const written = p.measured ? `${p.verdict} (measured ${p.measured})` : p.verdict;
        lines.push(`${match ? "  " : "XX"} ${scenario.padEnd(22)} written ${written.padEnd(8)} observed ${seen}`);
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
