import type { StackDescriptor } from "../../stack/start-stack";

/** The annotation each cell carries about its stack; it travels in blob reports, so merged reports have it too. */
export const STACK_ANNOTATION = "proxylab-stack";

export interface StackFacts {
  /** e.g. "nginx/1.22.1", as the proxy binary says. */
  proxyVersion: string;
  /** Seconds from start to every container ready. */
  startS: number;
  /** The URL the browser opens. */
  appUrl: string;
}

export function stackAnnotation(stack: StackDescriptor): { type: string; description: string } {
  const facts: StackFacts = { proxyVersion: stack.proxyVersion, startS: stack.startS, appUrl: stack.appUrl };
  return { type: STACK_ANNOTATION, description: JSON.stringify(facts) };
}

/** The facts of a cell's stack, or null when the cell carries none (it failed before its stack was opened). */
export function readStackAnnotation(
  annotations: ReadonlyArray<{ type: string; description?: string }>,
): StackFacts | null {
  const found = annotations.find((a) => a.type === STACK_ANNOTATION)?.description;
  if (!found) return null;
  try {
    return JSON.parse(found) as StackFacts;
  } catch {
    return null;
  }
}
