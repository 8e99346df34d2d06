#!/usr/bin/env node
// The `proxylab` command: runs the harness's TypeScript CLI (cli/proxylab.ts) with tsx from this package,
// from whatever directory the user is in (their paths are resolved from there).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const child = spawn(process.execPath, [tsx, path.join(root, "cli", "proxylab.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
  // The user's directory is where the command runs (an INIT_CWD inherited from npm would be another's).
  env: { ...process.env, INIT_CWD: process.cwd() },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
