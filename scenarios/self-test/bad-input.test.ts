/**
 * Bad input gets a clear error, saying what to do, within 10 s, and leaves nothing behind. Each case runs the
 * command a user would type, as a child process.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, beforeEach, describe, it } from "node:test";
import { layerTag, NGINX_IMAGE } from "../../docker/images";
import { LABELS } from "../../lib/run";
import config from "../../playwright.config";
import { countOf, HarnessProcess, labeled, leftSince, ROOT, type Labeled } from "./harness-process";

const LIMIT_MS = 10_000;
let before: Labeled = { containers: [], networks: [] };
beforeEach(async () => {
  before = await labeled(LABELS.harness);
});
const dir = mkdtempSync(path.join(os.tmpdir(), "proxylab-bad-input-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const fixedConfig = readFileSync(path.join(ROOT, "nginx-variants", "fixed", "default.conf"), "utf8");
function userConfig(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Runs a command, checks exit code, time and message, and that nothing of the harness is left. */
async function expectClearError(
  run: HarnessProcess,
  want: { code: number; message: RegExp; within?: number },
): Promise<void> {
  const exit = await run.exited;
  assert.equal(exit.code, want.code, run.output);
  assert.match(run.output, want.message);
  assert.ok(exit.ms <= (want.within ?? LIMIT_MS), `took ${exit.ms} ms:\n${run.output}`);
  const left = await leftSince(before);
  assert.equal(countOf(left), 0, `left behind: ${JSON.stringify(left)}`);
  const line = run.output.split("\n").find((l) => want.message.test(l)) ?? run.output.match(want.message)?.[0];
  console.log(`[self-test] ${exit.ms} ms, exit ${exit.code}: ${line?.trim()}`);
}

const repro = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  new HarnessProcess(
    path.join(ROOT, "node_modules", ".bin", "tsx"),
    [path.join(ROOT, "cli", "repro.ts"), ...args],
    env,
  );

describe("bad input", { concurrency: 1 }, () => {
  it("Docker engine not running", async () => {
    await expectClearError(
      HarnessProcess.playwright(["--project=fixed"], { DOCKER_HOST: `unix://${dir}/no-engine.sock` }),
      {
        code: 1,
        message: /No Docker engine is running \(nothing answers at unix:\/\/.*no-engine\.sock\)\. Run `npm run setup`/,
      },
    );
  });

  it("an image missing: never pulled, names the setup step that builds it", async () => {
    const tag = layerTag(NGINX_IMAGE);
    const aside = `${NGINX_IMAGE.repo}:self-test-aside`;
    // Untag (the image stays under another tag) instead of deleting it: nothing to rebuild afterwards.
    execFileSync("docker", ["tag", tag, aside]);
    execFileSync("docker", ["rmi", tag], { stdio: "ignore" });
    try {
      await expectClearError(HarnessProcess.playwright(["--project=fixed"]), {
        code: 1,
        message: new RegExp(
          `Missing image ${tag.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} .*Run \`npm run setup\`: it builds them from Debian packages; nothing is pulled`,
        ),
      });
    } finally {
      execFileSync("docker", ["tag", aside, tag]);
      execFileSync("docker", ["rmi", aside], { stdio: "ignore" });
    }
  });

  it("an invalid nginx config: nginx's own -t message with file and line", async () => {
    const file = userConfig("typo.conf", fixedConfig.replace("proxy_buffering off;", "proxy_bufering off;"));
    await expectClearError(repro(["--config", file]), {
      code: 2,
      message: new RegExp(`unknown directive "proxy_bufering" in ${file.replace(/[.]/g, "\\.")}:\\d+`),
    });
  });

  it("a config that is not a proxy config: empty, binary, or another kind than --proxy says", async () => {
    await expectClearError(repro(["--config", userConfig("empty.conf", "")]), {
      code: 2,
      message: /empty\.conf is empty: give the file that holds your proxy config/,
    });
    await expectClearError(repro(["--config", userConfig("binary.conf", "\u0000\u0001ELF\u0000")]), {
      code: 2,
      message: /binary\.conf is a binary file, not a text config/,
    });
    const haproxy = userConfig(
      "haproxy.cfg",
      "frontend web\n  bind :80\n  default_backend app\nbackend app\n  server a app:80\n",
    );
    await expectClearError(repro(["--config", haproxy, "--proxy", "nginx"]), {
      code: 2,
      message: /haproxy\.cfg is not nginx's config: it reads as haproxy's .*Drop --proxy, or give an? nginx config/,
    });
  });

  it("a directory with a symlink loop, and an include outside the directory given (never read)", async () => {
    const loop = path.join(dir, "loop");
    mkdirSync(path.join(loop, "sites-enabled"), { recursive: true });
    writeFileSync(path.join(loop, "nginx.conf"), "events {}\nhttp { include sites-enabled/*; }\n");
    symlinkSync("..", path.join(loop, "sites-enabled", "up"));
    await expectClearError(repro(["--config", loop]), { code: 2, message: /sites-enabled\/up .*symlink loop/ });
    const outside = path.join(dir, "outside");
    mkdirSync(outside);
    writeFileSync(
      path.join(outside, "nginx.conf"),
      "events {}\nhttp {\n  include /etc/passwd;\n  server { listen 80; location / { proxy_pass http://app; } }\n}\n",
    );
    await expectClearError(repro(["--config", outside]), {
      code: 2,
      message:
        /nginx\.conf:3: include \/etc\/passwd: \/etc\/passwd is outside \/etc\/nginx, and the harness reads nothing from the host/,
    });
  });

  it("a config that listens on no port the browser can use", async () => {
    const file = userConfig(
      "unix-only.conf",
      "server {\n  listen unix:/run/app.sock;\n  location / { proxy_pass http://app:3000; }\n}\n",
    );
    await expectClearError(repro(["--config", file]), { code: 2, message: /unix-only\.conf.*listens on no TCP port/ });
  });

  it("a port mapping that is not public:listen, or names a port the config does not listen on", async () => {
    const file = userConfig("fixed.conf", fixedConfig);
    await expectClearError(repro(["--config", file, "--publish", "8443"]), {
      code: 2,
      message: /--publish 8443: write it as docker -p does, <public port>:<port the config listens on>/,
    });
    await expectClearError(repro(["--config", file, "--publish", "443:8443"]), {
      code: 2,
      message: /--publish 443:8443: .*fixed\.conf listens on no port 8443 \(it listens on 443\)/,
    });
  });

  it("a replica count that is not 1 to 4", async () => {
    const file = userConfig("fixed.conf", fixedConfig);
    await expectClearError(repro(["--config", file, "--replicas", "two"]), {
      code: 2,
      message: /--replicas two: give how many app replicas the config balances over, 1 to 4/,
    });
  });

  it("a syntax error the harness's reader meets is shown in the product's own words", async () => {
    const file = userConfig(
      "unclosed.conf",
      "server {\n  listen 80;\n  location / {\n    proxy_pass http://app:3000;\n  }\n",
    );
    await expectClearError(repro(["--config", file]), {
      code: 2,
      message:
        /nginx -t rejects .*unclosed\.conf as given:\n.*\[emerg\] .*unexpected end of file, expecting "}" in .*unclosed\.conf:6/,
    });
  });

  it("an upstream that accepts and never answers: the proxy's own timeout is the cell's result", async () => {
    const file = userConfig(
      "stalled.conf",
      "server {\n  listen 80;\n  location / {\n    proxy_pass http://backend:3000;\n    proxy_read_timeout 4s;\n  }\n}\n",
    );
    await expectClearError(repro(["--config", file, "--scenario", "random-uuid"], { PROXYLAB_APP_STALL: "1" }), {
      code: 1,
      message: /status: expected 200, observed 504/,
      within: 90_000,
    });
  });

  it("an unknown variant, by PROXY_VARIANTS or --project, lists the valid ones", async () => {
    await expectClearError(HarnessProcess.playwright([], { PROXY_VARIANTS: "fixed,nope" }), {
      code: 1,
      message: /Unknown variant in PROXY_VARIANTS: nope\. Use one of: http1\.0-default, missing-upgrade,/,
    });
    await expectClearError(HarnessProcess.playwright(["--project=nope"]), {
      code: 1,
      message: /Project\(s\) "nope" not found\. Available projects: "http1\.0-default"/,
    });
  });

  it("an unknown scenario lists the valid ones", async () => {
    await expectClearError(
      repro(["--config", path.join(ROOT, "nginx-variants", "fixed", "default.conf"), "--scenario", "sse-nope"]),
      { code: 2, message: /Unknown scenario: sse-nope\. Use one of: random-uuid, oauth-login,/ },
    );
  });

  it("Chromium missing", async () => {
    await expectClearError(HarnessProcess.playwright(["--project=fixed"], { CHROMIUM_PATH: `${dir}/no-chromium` }), {
      code: 1,
      message:
        /No Chromium at .*no-chromium\. Run `npm run setup` \(it installs Debian's chromium-headless-shell\), or set CHROMIUM_PATH/,
    });
  });

  it("a scenario that hangs fails at the per-test timeout and its stack is removed", async () => {
    // Limits as configured: a hung cell fails well inside a minute, a whole run far inside CI's 90 minutes.
    assert.ok((config.timeout ?? Infinity) <= 45_000, `per-test timeout ${config.timeout}`);
    assert.ok((config.globalTimeout ?? Infinity) <= 45 * 60_000, `globalTimeout ${config.globalTimeout}`);
    // The same mechanism, shortened: an 11 s cell given 2 s hangs as far as the runner can tell. The bound is the
    // whole run: the stack's start and removal too (21.8 s once in CI with the machine loaded), not the 11 s cell.
    await expectClearError(
      HarnessProcess.playwright(["--project=fixed", "--grep", "\\ssse-idle-resume:", "--timeout=2000"]),
      {
        code: 1,
        message: /Test timeout of 2000ms exceeded/,
        within: 30_000,
      },
    );
  });
});
