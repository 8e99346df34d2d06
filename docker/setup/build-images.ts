import { writeFileSync } from "node:fs";
import path from "node:path";
import { $ } from "zx";
import { imageExists } from "../../lib/docker-engine";
import { step } from "../../lib/progress";
import { baseSource, baseTag, layerTag, ROOT, type BaseImage, type LayerImage } from "../images";

async function tail(file: string): Promise<string> {
  return (await $({ nothrow: true, quiet: true })`tail -n 25 ${file}`).stdout;
}

/**
 * A Debian root filesystem from the machine's own apt sources (no mirror named here), imported as an image.
 * pipefail: an mmdebstrap failure must not leave an empty image behind a tag that looks built.
 */
async function buildBase(image: BaseImage, logDir: string): Promise<string> {
  const tag = baseTag(image);
  if (await imageExists(tag)) return `${tag} up to date`;
  const log = path.join(logDir, `${image.repo.replace("/", "_")}-${image.suite}.log`);
  if (baseSource() === "registry") return buildBaseFromRegistry(image, tag, log);
  const include = image.packages.join(",");
  const aptopts = Object.entries(image.aptOptions ?? {})
    .map(([k, v]) => `--aptopt='${k} "${v}"'`)
    .join(" ");
  const script = `set -o pipefail; mmdebstrap --variant=minbase ${aptopts} --include=${include} ${image.suite} - 2>${log} | docker import --message "proxylab ${image.suite} ${include}" - ${tag} >>${log} 2>&1`;
  try {
    await $({ quiet: true })`bash -c ${script}`;
  } catch {
    await $({ nothrow: true, quiet: true })`docker image rm ${tag}`;
    throw new Error(`mmdebstrap ${image.suite} with ${include} failed. Last lines of ${log}:\n${await tail(log)}`);
  }
  return `${tag} built`;
}

/** The same packages on Debian's official slim image, for runners that reach a registry (PROXYLAB_BASE_SOURCE=registry). */
async function buildBaseFromRegistry(image: BaseImage, tag: string, log: string): Promise<string> {
  const options = Object.entries(image.aptOptions ?? {})
    .map(([k, v]) => ` -o ${k}=${v}`)
    .join("");
  const dockerfile = `FROM debian:${image.suite}-slim\nRUN apt-get${options} update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${image.packages.join(" ")} && rm -rf /var/lib/apt/lists/*\n`;
  const build = await $({
    quiet: true,
    nothrow: true,
    input: dockerfile,
    env: { ...process.env, DOCKER_BUILDKIT: "0" },
  })`docker build -t ${tag} -`;
  writeFileSync(log, build.stdout + build.stderr);
  if (build.exitCode !== 0)
    throw new Error(
      `docker build FROM debian:${image.suite}-slim failed (PROXYLAB_BASE_SOURCE=registry needs a reachable registry). Last lines of ${log}:\n${await tail(log)}`,
    );
  return `${tag} built from debian:${image.suite}-slim`;
}

async function buildLayer(image: LayerImage, logDir: string): Promise<string> {
  const tag = layerTag(image);
  if (await imageExists(tag)) return `${tag} up to date`;
  const log = path.join(logDir, `${image.repo.replace("/", "_")}-${image.base.suite}.log`);
  if (image.prebuild) {
    const [cmd, ...args] = image.prebuild;
    const pre = await $({ cwd: ROOT, nothrow: true, quiet: true })`${cmd!} ${args}`;
    if (pre.exitCode !== 0) throw new Error(`${image.prebuild.join(" ")} failed:\n${pre.stdout}${pre.stderr}`);
  }
  // The classic builder: BuildKit may not be installed, and nothing here needs it.
  const build = await $({
    cwd: ROOT,
    nothrow: true,
    quiet: true,
    env: { ...process.env, DOCKER_BUILDKIT: "0" },
  })`docker build --build-arg BASE=${baseTag(image.base)} -f ${image.dockerfile} -t ${tag} ${image.context}`;
  writeFileSync(log, build.stdout + build.stderr);
  if (build.exitCode !== 0) throw new Error(`docker build of ${tag} failed. Last lines of ${log}:\n${await tail(log)}`);
  return `${tag} built`;
}

export async function buildImages(
  bases: readonly BaseImage[],
  layers: readonly LayerImage[],
  logDir: string,
): Promise<void> {
  // Base images are independent and mostly wait on apt downloads: build them side by side.
  await Promise.all(
    bases.map((b) =>
      step(
        `image ${b.repo} (${b.suite})`,
        () => buildBase(b, logDir),
        (r) => r,
      ),
    ),
  );
  for (const layer of layers)
    await step(
      `image ${layer.repo} (${layer.base.suite})`,
      () => buildLayer(layer, logDir),
      (r) => r,
    );
}
