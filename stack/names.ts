import type { RunContext } from "../lib/run";

/** Docker names allow no '@': `fixed@1.26` names its containers `...-fixed-v1.26`. */
export function dockerSafeName(name: string): string {
  return name.replace(/@/g, "-v");
}

/** The prefix of every Docker resource of one project's stack in one run (network, containers, config check). */
export function stackResourcePrefix(run: RunContext, projectName: string): string {
  return `proxylab-${run.runId}-${dockerSafeName(projectName)}`;
}
