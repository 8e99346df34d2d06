import { commands } from "./commands";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Every stack's network is a /24 of this (stack/plan.ts): the rule below keys on it. */
export const STACKS_NET = "10.80.0.0/16";
const COMMENT = "proxylab: no traffic from a stack beyond this machine";
// Docker's own chain for rules of the host's (it runs before Docker's forwarding rules, and Docker keeps it).
const RULE = [
  "DOCKER-USER",
  "-s",
  STACKS_NET,
  "!",
  "-d",
  STACKS_NET,
  "-m",
  "comment",
  "--comment",
  COMMENT,
  "-j",
  "DROP",
];

async function iptables(...args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run("iptables", ["-w", ...args]);
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ok: false, output: e.stderr ?? e.message };
  }
}

/**
 * A user's config may name upstreams anywhere (a public host, a resolver): no stack container may send traffic
 * beyond this machine, so what is forwarded out of a stack's network is dropped. Stacks reach each other's
 * containers, the host and the published ports as before. Idempotent (one rule, shared by the run's stacks);
 * removeEgressBlock() takes it out at the end of the run, and the next run's sweep after a killed one.
 */
export async function installEgressBlock(): Promise<void> {
  if ((await iptables("-C", ...RULE)).ok) return;
  const added = await iptables("-I", ...RULE);
  if (!added.ok) {
    throw new Error(
      `Could not add the firewall rule that keeps stacks from sending traffic beyond this machine (iptables -I ${RULE.join(" ")}): ${added.output.trim()}\nThe harness needs root (as ${commands.setup()} does) and Docker's DOCKER-USER chain. Run it as root, or start the Docker engine with iptables enabled.`,
    );
  }
}

/** The same removal as a shell line, for the detached sweeper of a run interrupted in its setup (lib/sweep.ts). */
export const REMOVE_EGRESS_SHELL = `while iptables -w -C ${RULE.map((a) => `'${a}'`).join(" ")} 2>/dev/null; do iptables -w -D ${RULE.map((a) => `'${a}'`).join(" ")}; done`;

export async function removeEgressBlock(): Promise<void> {
  while ((await iptables("-C", ...RULE)).ok) await iptables("-D", ...RULE);
}

/** Packets the rule has dropped so far (for the self-test that shows it works), or null when it is not there. */
export async function egressDrops(): Promise<number | null> {
  const listed = await iptables("-L", "DOCKER-USER", "-v", "-x", "-n");
  const line = listed.output.split("\n").find((l) => l.includes(COMMENT));
  return line ? Number(line.trim().split(/\s+/)[0]) : null;
}
