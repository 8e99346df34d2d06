import { commands } from "../../lib/commands";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { $ } from "zx";
import { chromiumBuild, chromiumCandidates, type ChromiumBuild } from "../../lib/chromium";
import { note } from "../../lib/progress";
import { baseSource } from "../images";

function hasCommand(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Whether a build starts here (`CHROMIUM_PATH`, when set, stands for the build it names). */
function hasUsableChromium(build: ChromiumBuild): boolean {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : chromiumCandidates(build);
  return candidates.some((p) => {
    if (!existsSync(p)) return false;
    try {
      execFileSync(p, ["--version"], { stdio: "ignore", timeout: 10_000 });
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Debian packages the harness needs, each with the test that tells whether it is missing here, and (`when`)
 * whether this setup needs it at all.
 */
const NEEDED: ReadonlyArray<{ packages: string[]; missing: () => boolean; when?: () => boolean }> = [
  // A remote engine (DOCKER_HOST) needs no local daemon; the docker CLI is still used for builds.
  { packages: ["docker.io"], missing: () => !process.env.DOCKER_HOST && !hasCommand("dockerd") },
  { packages: ["iptables"], missing: () => !process.env.DOCKER_HOST && !hasCommand("iptables") },
  { packages: ["docker.io"], missing: () => !hasCommand("docker") },
  { packages: ["mmdebstrap"], missing: () => baseSource() === "mmdebstrap" && !hasCommand("mmdebstrap") },
  // The build the runs use: the headless shell by default; the full browser (290 MB more) for
  // PROXYLAB_CHROMIUM=full, which `PROXYLAB_CHROMIUM=full npm run setup` installs.
  {
    packages: ["chromium-headless-shell"],
    missing: () => !hasUsableChromium("shell"),
    when: () => chromiumBuild() === "shell",
  },
  { packages: ["chromium"], missing: () => !hasUsableChromium("full"), when: () => chromiumBuild() === "full" },
  { packages: ["libnss3-tools"], missing: () => !hasCommand("certutil") },
  { packages: ["openssl"], missing: () => !hasCommand("openssl") },
];

const needed = () => NEEDED.filter((n) => n.when?.() ?? true);

/** Every Debian package this setup may install: what a machine with none of them gets (bench --cold measures it). */
export function setupPackages(): string[] {
  return [...new Set(needed().flatMap((n) => n.packages))];
}

export function missingPackages(): string[] {
  return [
    ...new Set(
      needed()
        .filter((n) => n.missing())
        .flatMap((n) => n.packages),
    ),
  ];
}

export async function installPackages(packages: string[], logFile: string): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      `These Debian packages are missing: ${packages.join(" ")}. Install them as root (sudo apt-get install -y ${packages.join(" ")}) and run \`${commands.setup()}\` again.`,
    );
  }
  note(`apt-get install ${packages.join(" ")} (log: ${logFile})`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    await $({
      env,
      quiet: true,
    })`sh -c ${`(apt-get update -q && apt-get install -y -q ${packages.join(" ")}) >${logFile} 2>&1`}`;
  } catch {
    const tail = (await $({ nothrow: true, quiet: true })`tail -n 20 ${logFile}`).stdout;
    throw new Error(`apt-get could not install ${packages.join(" ")}. Last lines of ${logFile}:\n${tail}`);
  }
}
