import { mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { layerTag, proxyImage } from "../docker/images";
import type { RunContext } from "../lib/run";
import { removeRunResources } from "../lib/sweep";
import { createTestPki } from "../lib/tls";
import { PROXY_KINDS } from "../proxies/kinds";
import { NGINX_VERSION_LIST, type NginxVersion } from "../proxies/nginx/versions";
import { preparedConfigOf, type Project } from "../proxies/projects";
import { InvalidProxyConfigError, ProxyContainer } from "./containers/proxy";
import { publicNamesOf } from "./plan";
import { stackResourcePrefix } from "./names";

export interface VersionSweep {
  /** The versions whose `nginx -t` accepts the config (as the harness runs it), oldest first. */
  readonly accepted: NginxVersion[];
  /** The others, with nginx's own words (the first line that says why). */
  readonly rejected: Array<{ version: NginxVersion; said: string }>;
}

/**
 * Which of the harness's nginx versions accept a config, asked of each version's own `nginx -t` on the copy that
 * would run there, all at once (a second or two; before any browser exists). A config written for a newer nginx
 * (`http2 on;`) runs where it loads, and the run says why the others were left out.
 */
export async function nginxVersionSweep(
  projects: readonly Project[],
  versions: readonly NginxVersion[] = NGINX_VERSION_LIST,
): Promise<VersionSweep[]> {
  // As playwright.config.ts does: Ryuk's image would have to be pulled; the finally below removes the containers.
  process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
  // Its own run identity and folder: the Playwright run that follows has its own.
  const runId = `${Date.now().toString(36)}-${process.pid}-versions`;
  const run: RunContext = { runId, runDir: path.join(os.tmpdir(), `proxylab-${runId}`), runnerPid: process.pid };
  mkdirSync(run.runDir, { recursive: true, mode: 0o700 });
  try {
    const atVersions = projects.map((project) =>
      versions.map((version) => ({ ...project, name: `${project.name}@${version}`, nginxVersion: version })),
    );
    const names = [...new Set(atVersions.flat().flatMap((p) => publicNamesOf(p)))];
    const pki = await createTestPki(run.runDir, run.runId, names.length ? names : ["app.test"]);
    return await Promise.all(
      atVersions.map(async (perVersion) => {
        const results = await Promise.allSettled(
          perVersion.map((p) =>
            new ProxyContainer(
              PROXY_KINDS.nginx,
              layerTag(proxyImage("nginx", p.nginxVersion)),
              run,
              preparedConfigOf(p),
              pki,
              p.name,
            )
              .withName(`${stackResourcePrefix(run, p.name)}-version`)
              .checkConfig("bridge"),
          ),
        );
        const sweep: VersionSweep = { accepted: [], rejected: [] };
        results.forEach((r, i) => {
          const version = perVersion[i]!.nginxVersion;
          if (r.status === "fulfilled") sweep.accepted.push(version);
          // nginx -t said no; anything else (no engine, an image missing) is the harness's, said as it is.
          else if (r.reason instanceof InvalidProxyConfigError)
            sweep.rejected.push({ version, said: firstError(r.reason.message) });
          else throw r.reason;
        });
        return sweep;
      }),
    );
  } finally {
    await removeRunResources(run.runId).catch(() => undefined);
    rmSync(run.runDir, { recursive: true, force: true });
  }
}

/** nginx's `[emerg]` line, without its time stamp: what the one line of why says. */
export function firstError(message: string): string {
  const line =
    message.split("\n").find((l) => /\[emerg\]|\[crit\]|\[alert\]/.test(l)) ?? message.split("\n")[1] ?? message;
  return line
    .replace(/^nginx: /, "")
    .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, "")
    .trim();
}

/** "1.26 and 1.30", "1.22, 1.26 and 1.30". */
export function versionList(versions: readonly string[]): string {
  return versions.length <= 1 ? (versions[0] ?? "") : `${versions.slice(0, -1).join(", ")} and ${versions.at(-1)}`;
}
