/**
 * `npm run flake -- [--repeat 20 | --runs 20] [--load] [playwright args…]`: the full matrix, every cell
 * repeated, retries off; with --load, a busy loop keeps one core busy the whole time. Prints, per cell, how
 * many runs matched the table, and the SSE timing figures over all runs; writes test-results/flake.json.
 *
 * --repeat N is Playwright's --repeat-each: one run, but every repeat gets its own worker and browser, which
 * loads the machine far more than a user's run. --runs N runs the matrix N times in a row, as a user would.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../docker/images";
import type { ObservationRecord } from "../scenarios/reporter/observation-record";
import { percentile } from "./bench/stats";
import { PLAYWRIGHT } from "../lib/bins";
import { engineProjectName } from "../lib/browsers";

const say = (line: string) => console.log(`[flake] ${line}`);

/** Its own options; anything else (e.g. `--project=fixed`) goes to Playwright as it was given. */
function parseFlakeArgs(argv: string[]): { repeat: number; runs: number; load: boolean; rest: string[] } {
  const { values, tokens } = parseArgs({
    args: argv,
    options: { repeat: { type: "string" }, runs: { type: "string" }, load: { type: "boolean" } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const own = new Set(["repeat", "runs", "load"]);
  const rest = tokens.flatMap((t) => {
    if (t.kind === "positional") return [t.value];
    if (t.kind === "option" && !own.has(t.name))
      return [t.rawName + (t.inlineValue ? `=${t.value}` : "")].concat(
        !t.inlineValue && typeof t.value === "string" ? [t.value] : [],
      );
    return [];
  });
  const repeat = values.repeat === undefined ? 1 : Number(values.repeat);
  const runs = values.runs === undefined ? 1 : Number(values.runs);
  if (!Number.isInteger(repeat) || repeat < 1 || !Number.isInteger(runs) || runs < 1)
    throw new Error("--repeat and --runs need a whole number ≥ 1");
  return { repeat: repeat === 1 && runs === 1 ? 20 : repeat, runs, load: values.load === true, rest };
}

function records(): ObservationRecord[] {
  const out: ObservationRecord[] = [];
  const artifacts = path.join(ROOT, "test-results", "artifacts");
  for (const dir of existsSync(artifacts) ? readdirSync(artifacts) : []) {
    const file = path.join(artifacts, dir, "observation.json");
    if (existsSync(file)) out.push(JSON.parse(readFileSync(file, "utf8")) as ObservationRecord);
  }
  return out;
}

async function main(): Promise<void> {
  const { repeat, runs, load, rest } = parseFlakeArgs(process.argv.slice(2));
  // The other core busy: one shell spinning, started before the run and stopped after it.
  const busy = load ? spawn("sh", ["-c", "while :; do :; done"], { stdio: "ignore" }) : null;
  if (busy) say(`load: a busy loop (pid ${busy.pid}) keeps one core busy`);
  const started = Date.now();
  const log = path.join(ROOT, "test-results", `flake${load ? "-loaded" : ""}.log`);
  const args = ["test", `--repeat-each=${repeat}`, "--retries=0", "--global-timeout=0", ...rest];
  let output = "";
  let done = 0;
  let code: number | null = 0;
  const failures: string[] = [];
  const all: ObservationRecord[] = [];
  const tick = setInterval(() => say(`${done} runs done, ${Math.round((Date.now() - started) / 60_000)} min`), 60_000);
  for (let run = 1; run <= runs; run++) {
    say(
      `${runs > 1 ? `run ${run}/${runs}: ` : ""}npx playwright ${args.join(" ")} (output in ${path.relative(ROOT, log)})`,
    );
    const child = spawn(PLAYWRIGHT[0], [PLAYWRIGHT[1], ...args], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const onData = (d: Buffer) => {
      const text = d.toString();
      output += text;
      for (const line of text.split("\n")) {
        if (/^\s+[✓✘-]\s+\d+ /.test(line)) done++;
        if (/^\s+✘/.test(line)) {
          failures.push(line.trim());
          say(`FAILED: ${line.trim()}`);
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const exit = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    if (exit !== 0) code = exit;
    // Each run empties test-results/artifacts: collect its observations before the next one starts.
    all.push(...records());
    if (exit === 130) break;
  }
  clearInterval(tick);
  busy?.kill("SIGKILL");
  writeFileSync(log, output);

  const cells = new Map<string, { runs: number; asExpected: number }>();
  for (const r of all) {
    const key = `${r.scenario} × ${engineProjectName(r.variant, r.engine ?? "chromium")}`;
    const c = cells.get(key) ?? { runs: 0, asExpected: 0 };
    c.runs++;
    if (r.asExpected) c.asExpected++;
    cells.set(key, c);
  }
  const timing = all.filter((r) => r.scenario.startsWith("sse-timing"));
  const latencies = timing
    .filter((r) => r.observation.verdict === "streamed")
    .flatMap((r) => r.observation.latencies as number[]);
  const batchedSpreads = timing
    .filter((r) => r.observation.verdict === "batched")
    .map((r) => r.observation.arrivalSpreadMs as number);
  const pageLags = timing.map((r) => r.observation.pageLagMaxMs).filter((v): v is number => typeof v === "number");
  const voided = timing.flatMap(
    (r) => (r.observation.voidAttempts as Array<{ reason?: string; pageLagMaxMs: number }> | undefined) ?? [],
  );
  const summary = {
    repeat,
    runs,
    load,
    exitCode: code,
    minutes: +((Date.now() - started) / 60_000).toFixed(1),
    passed: [...output.matchAll(/(\d+) passed/g)].reduce((n, m) => n + Number(m[1]), 0),
    failed: [...output.matchAll(/(\d+) failed/g)].reduce((n, m) => n + Number(m[1]), 0),
    failures,
    observations: all.length,
    cellsNotAlwaysAsExpected: [...cells]
      .filter(([, c]) => c.asExpected < c.runs)
      .map(([k, c]) => `${k}: ${c.asExpected}/${c.runs}`),
    streamedLatencyMs: {
      n: latencies.length,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: latencies.length ? Math.max(...latencies) : null,
    },
    batchedArrivalSpreadMs: {
      n: batchedSpreads.length,
      max: batchedSpreads.length ? Math.max(...batchedSpreads) : null,
    },
    // Timing attempts voided because the page stalled over G/4 during them, and the worst such stall.
    timingVoidAttempts: {
      n: voided.length,
      cells: timing.filter((r) => ((r.observation.voidAttempts as unknown[] | undefined) ?? []).length > 0).length,
      worstPageLagMs: voided.length ? Math.max(...voided.map((v) => v.pageLagMaxMs)) : null,
      oneLateEvent: voided.filter((v) => v.reason === "one late event").length,
    },
    // The timing pages' own largest stall per counted attempt: what part of a latency could be the page's.
    timingPageLagMaxMs: {
      n: pageLags.length,
      p50: percentile(pageLags, 50),
      p95: percentile(pageLags, 95),
      max: pageLags.length ? Math.max(...pageLags) : null,
    },
  };
  writeFileSync(
    path.join(ROOT, "test-results", `flake${load ? "-loaded" : ""}.json`),
    JSON.stringify(summary, null, 2),
  );
  say(JSON.stringify(summary, null, 2));
  process.exitCode = code ?? 1;
}

main().catch((err: unknown) => {
  console.error(`[flake] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
