/**
 * `npm run setup`: everything a fresh machine needs before `npx playwright test`, idempotently.
 * Engine (Debian's docker.io, started in the background), browser (Debian's chromium-headless-shell, or chromium with
 * PROXYLAB_CHROMIUM=full), and every image, built from Debian packages (nothing is pulled: no registry is reachable).
 */
import { commands } from "../lib/commands";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { browserChoice, ENGINES } from "../lib/browsers";
import { chromiumVersion } from "../lib/chromium";
import { step } from "../lib/progress";
import { BASE_IMAGES, LAYER_IMAGES, ROOT } from "./images";
import { ensureEngine } from "./setup/engine";
import { buildImages } from "./setup/build-images";
import { ensureFirefoxRoot } from "./setup/firefox-root";
import { installPackages, missingPackages } from "./setup/packages";

async function main(): Promise<void> {
  const started = performance.now();
  const logDir = path.join(ROOT, "test-results", "setup-logs");
  mkdirSync(logDir, { recursive: true });

  await step(
    "debian packages",
    async () => {
      const missing = missingPackages();
      if (missing.length > 0) await installPackages(missing, path.join(logDir, "apt.log"));
      return missing;
    },
    (installed) => (installed.length ? `installed ${installed.join(" ")}` : "all present"),
  );
  await step(
    "docker engine",
    () => ensureEngine("/var/log/proxylab-dockerd.log"),
    (r) => `${r.started ? "started" : "running"}, version ${r.version}`,
  );
  const choice = browserChoice();
  const engines = new Set(choice === "default" || choice === "all" ? ENGINES : [choice]);
  if (engines.has("chromium"))
    await step(
      "browser",
      async () => chromiumVersion(),
      (v) => v,
    );
  // Firefox's root (a sid mmdebstrap, ~60 s cold) builds beside the images: mostly download and unpacking.
  await Promise.all([
    engines.has("firefox")
      ? step(
          "firefox",
          () => ensureFirefoxRoot(logDir),
          (v) => v,
        )
      : null,
    buildImages(BASE_IMAGES, LAYER_IMAGES, logDir),
  ]);
  console.error(
    `[setup] ready in ${((performance.now() - started) / 1000).toFixed(1)} s. Next: ${commands.matrix()}, or ${commands.check()}`,
  );
}

main().catch((err: unknown) => {
  console.error(`\n[setup] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
