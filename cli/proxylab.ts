/**
 * The `proxylab` command (bin/proxylab.mjs), for use from a project's own repository:
 *   proxylab setup                       the engine, the browser and every image (as `npm run setup`)
 *   proxylab check <config> [options]    your config, as `npm run repro` runs it; reports in ./proxylab-results
 *   proxylab matrix [playwright args]    the regression matrix (`npx playwright test`)
 *   proxylab clean [--images]            everything of the harness, removed
 * Paths are the user's, from where they run it; the harness itself runs from its own folder.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { PLAYWRIGHT, TSX } from "../lib/bins";
import { CLI_ENV } from "../lib/commands";

const PACKAGE = path.resolve(__dirname, "..");
const cwd = process.env.INIT_CWD ?? process.cwd();

/**
 * Where the harness runs from. From a clone: its own folder. Installed (under node_modules), Playwright would not
 * compile its TypeScript (it never transforms files under node_modules), so the harness runs from a copy in
 * ~/.cache/proxylab/<version>-<hash of its files>, made once, whose node_modules is the one it was installed in.
 */
function harnessRoot(): string {
  if (!PACKAGE.split(path.sep).includes("node_modules")) return PACKAGE;
  const files = (rel: string): string[] =>
    statSync(path.join(PACKAGE, rel)).isDirectory()
      ? readdirSync(path.join(PACKAGE, rel))
          .filter((e) => e !== "node_modules")
          .sort()
          .flatMap((e) => files(path.join(rel, e)))
      : [rel];
  const hash = createHash("sha256");
  for (const f of files(".")) hash.update(f).update(readFileSync(path.join(PACKAGE, f)));
  const version = (JSON.parse(readFileSync(path.join(PACKAGE, "package.json"), "utf8")) as { version: string }).version;
  const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "proxylab");
  const dir = path.join(cache, `${version}-${hash.digest("hex").slice(0, 12)}`);
  if (existsSync(path.join(dir, ".complete"))) return dir;
  const partial = `${dir}.partial-${process.pid}`;
  mkdirSync(cache, { recursive: true });
  cpSync(PACKAGE, partial, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
  const parts = PACKAGE.split(path.sep);
  const nodeModules = parts.slice(0, parts.lastIndexOf("node_modules") + 1).join(path.sep);
  symlinkSync(nodeModules, path.join(partial, "node_modules"));
  writeFileSync(path.join(partial, ".complete"), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

const ROOT = harnessRoot();

const USAGE = `Usage: proxylab <command>

  proxylab setup                      install and start the Docker engine, Chromium and Firefox, build every image
  proxylab check <config> [options]   run every scenario against your proxy config, as it is; reports go to
                                      ./proxylab-results (--out <dir>). Options: --fix, --sarif <file>,
                                      --path </prefix/>, --proxy <kind>, --version <v>, --scenario <s>, --quick,
                                      --profile <file> (default ./proxylab.json), --strict, --behind tls (a TLS
                                      load balancer in front), --config <inner> (a chain: <config> is the edge)
  proxylab matrix [args]              the regression matrix (Playwright arguments pass through)
  proxylab clean [--images]           remove the harness's containers, networks, run folders (and images)

Exit code of check: 0 when nothing breaks (limits and notes are warnings; with an app profile, a limit it needs
breaks; --strict: any finding fails); 1 when something breaks; 2 for input it cannot run.`;

function run(argv: readonly string[], env: NodeJS.ProcessEnv = {}): void {
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: ROOT,
    stdio: "inherit",
    // PROXYLAB_CLI: messages name `npx proxylab …`, the commands this user has, not the clone's npm scripts.
    env: { ...process.env, INIT_CWD: cwd, [CLI_ENV]: "1", ...env },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

/** --out <dir> (default ./proxylab-results), taken out of the arguments; the rest pass on. */
function outOf(args: string[]): { out: string; rest: string[] } {
  const i = args.findIndex((a) => a === "--out" || a.startsWith("--out="));
  if (i < 0) return { out: path.resolve(cwd, "proxylab-results"), rest: args };
  const value = args[i]!.includes("=") ? args[i]!.split("=")[1]! : args[i + 1];
  if (!value) throw new Error("--out needs a directory");
  return {
    out: path.resolve(cwd, value),
    rest: args.filter((_, j) => j !== i && (args[i]!.includes("=") || j !== i + 1)),
  };
}

function main(): void {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case "setup":
      return run([...TSX, "docker/setup.ts", ...args]);
    case "clean":
      return run([...TSX, "docker/clean.ts", ...args]);
    case "matrix": {
      const { out, rest } = outOf(args);
      return run([...PLAYWRIGHT, "test", ...rest], { PROXYLAB_OUT: out });
    }
    case "check": {
      const { out, rest } = outOf(args);
      const config = rest[0] && !rest[0].startsWith("-") ? rest[0] : undefined;
      if (!config) {
        console.error(`proxylab check: give your config's path first.\n\n${USAGE}`);
        process.exit(2);
      }
      return run([...TSX, "cli/repro.ts", "--config", config, ...rest.slice(1)], { PROXYLAB_OUT: out });
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return;
    default:
      console.error(`proxylab: unknown command ${command}.\n\n${USAGE}`);
      process.exit(2);
  }
}

main();
