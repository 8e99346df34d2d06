import { commands } from "./commands";
import Docker from "dockerode";

export const setupHint = () =>
  `Run \`${commands.setup()}\`: it installs and starts the Docker engine and builds the images.`;

export function dockerClient(): Docker {
  // dockerode follows DOCKER_HOST itself; without it, the local socket.
  return new Docker();
}

/** The engine's version, or an Error that says what is wrong and what to do. Never waits longer than timeoutMs. */
export async function engineVersion(timeoutMs = 3_000): Promise<string> {
  const docker = dockerClient();
  const where = process.env.DOCKER_HOST ?? "/var/run/docker.sock";
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Docker engine at ${where} did not answer within ${timeoutMs} ms. ${setupHint()}`)),
      timeoutMs,
    );
  });
  try {
    const version = await Promise.race([docker.version(), timeout]);
    return version.Version;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ECONNREFUSED") {
      throw new Error(`No Docker engine is running (nothing answers at ${where}). ${setupHint()}`, { cause: err });
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export async function imageExists(tag: string): Promise<boolean> {
  try {
    await dockerClient().getImage(tag).inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}
