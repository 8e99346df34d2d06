/**
 * `npm run repro -- --config path/to/nginx.conf [--variant-name name] [--nginx-version 1.22] [--scenario name]`
 *
 * Runs every scenario against the user's own config, holding each to what "works" means (HEALTHY in
 * scenarios/expectations.ts), through the same Playwright run as the matrix: one way to start a stack.
 * Exit code 0 only if every scenario is healthy.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../docker/images";
import { NGINX_VERSIONS, DEFAULT_NGINX_VERSION } from "../proxies/nginx/versions";
import { USER_CONFIG_ENV, USER_NGINX_VERSION_ENV, USER_VARIANT_NAME_ENV } from "../proxies/projects";
import { readConfigShape } from "../proxies/nginx/contract";
import { SCENARIO_NAMES } from "../scenarios/expectations";

const USAGE = `Usage: npm run repro -- --config <nginx config> [--variant-name <name>] [--nginx-version <${Object.keys(NGINX_VERSIONS).join("|")}>] [--scenario <name>]

  --config         your nginx config: server {} blocks (as in sites-enabled/), or a whole nginx.conf
  --variant-name   the column name in the report (default: the file's name)
  --nginx-version  which nginx runs it (default ${DEFAULT_NGINX_VERSION})
  --scenario       run one scenario only: ${SCENARIO_NAMES.join(", ")}

The config's contract (upstream names, ports, TLS files) is in the README, "Contract for a proxy config".`;

class UsageError extends Error {}

function parse(argv: string[]): { config: string; name?: string; version: string; scenario?: string } {
  let values: { config?: string; "variant-name"?: string; "nginx-version"?: string; scenario?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string" },
        "variant-name": { type: "string" },
        "nginx-version": { type: "string" },
        scenario: { type: "string" },
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
  if (!values.config) throw new UsageError("--config is required");
  const version = values["nginx-version"] ?? DEFAULT_NGINX_VERSION;
  if (!(version in NGINX_VERSIONS)) {
    throw new UsageError(
      `--nginx-version ${version} is not one the harness builds. Use one of: ${Object.keys(NGINX_VERSIONS).join(", ")}.`,
    );
  }
  if (values.scenario && !(SCENARIO_NAMES as string[]).includes(values.scenario))
    throw new UsageError(`Unknown scenario: ${values.scenario}. Use one of: ${SCENARIO_NAMES.join(", ")}.`);
  return { config: values.config, name: values["variant-name"], version, scenario: values.scenario };
}

/** Cells the run observed, from the matrix reporter's test-results/matrix.json (0 if it is older than this run). */
function cellsRun(since: number): number {
  try {
    const file = path.join(ROOT, "test-results", "matrix.json");
    if (statSync(file).mtimeMs < since) return 0;
    return (JSON.parse(readFileSync(file, "utf8")) as { cells: unknown[] }).cells.length;
  } catch {
    return 0;
  }
}

function main(): void {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`[repro] ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  // npm runs scripts from the package root: a relative path means relative to where the user typed it.
  const config = path.resolve(process.env.INIT_CWD ?? process.cwd(), args.config);
  if (!existsSync(config) || !statSync(config).isFile()) {
    console.error(`[repro] No such file: ${config}. Give the path of your nginx config.`);
    process.exit(2);
  }
  let scheme: string;
  try {
    scheme = readConfigShape(config).scheme;
  } catch (err) {
    console.error(`[repro] ${(err as Error).message}`);
    process.exit(2);
  }
  const name = args.name ?? path.basename(config).replace(/\.conf$/, "");
  console.log(
    `[repro] ${config} as "${name}" on ${args.version} (${scheme}): ${args.scenario ?? `all ${SCENARIO_NAMES.length} scenarios`}, each must work`,
  );

  const playwright = path.join(ROOT, "node_modules", ".bin", "playwright");
  // Playwright matches --grep against the title path ("<project> <file> <title>"): the scenario starts a title.
  const grep = args.scenario ? ["--grep", `(^|\\s)${args.scenario}:`] : [];
  const child = spawn(playwright, ["test", ...grep], {
    cwd: ROOT,
    stdio: "inherit",
    env: {
      ...process.env,
      [USER_CONFIG_ENV]: config,
      [USER_VARIANT_NAME_ENV]: name,
      [USER_NGINX_VERSION_ENV]: args.version,
    },
  });
  // Ctrl-C reaches the child through the terminal's process group; a plain `kill` of this process is passed on.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  const startedAt = Date.now();
  child.on("exit", (code, signal) => {
    const cells = cellsRun(startedAt);
    if (code === 0) console.log(`[repro] every scenario is healthy with ${config}.`);
    else if (cells === 0) console.log(`[repro] stopped before any scenario ran: see the error above.`);
    else if (code !== null)
      console.log(
        `[repro] not healthy: see the diagnosis above, test-results/matrix.html and test-results/playwright-report.`,
      );
    process.exit(code ?? (signal ? 130 : 1));
  });
}

main();
