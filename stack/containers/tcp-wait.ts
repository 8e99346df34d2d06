import net from "node:net";
import type Dockerode from "dockerode";
import type { BoundPorts, WaitStrategy } from "testcontainers";

/**
 * Ready when every published port accepts a TCP connection on the address it is published on. testcontainers'
 * own port check probes one host for every container (127.0.0.1 here), which is not where a stack's ports are.
 */
export class TcpListeningWait implements WaitStrategy {
  private timeoutMs = 20_000;
  private timeoutSet = false;

  constructor(private readonly targets: ReadonlyArray<{ address: string; port: number }>) {}

  async waitUntilReady(container: Dockerode.Container, _bound: BoundPorts): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (const { address, port } of this.targets) {
      for (;;) {
        if (await connects(address, port)) break;
        const state = (await container.inspect()).State;
        if (!state.Running)
          throw new Error(
            `the container exited (code ${state.ExitCode}) before ${address}:${port} accepted a connection`,
          );
        if (Date.now() > deadline)
          throw new Error(`nothing accepted a connection on ${address}:${port} within ${this.timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  withStartupTimeout(ms: number): this {
    this.timeoutMs = ms;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }

  getStartupTimeout(): number {
    return this.timeoutMs;
  }
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
