/** One line per step with its duration, to stderr so it never mixes with a tool's data on stdout. */
export async function step<T>(name: string, run: () => Promise<T>, describe: (result: T) => string): Promise<T> {
  const started = performance.now();
  try {
    const result = await run();
    console.error(`[setup] ${name}: ${describe(result)} (${seconds(started)})`);
    return result;
  } catch (err) {
    console.error(`[setup] ${name}: FAILED after ${seconds(started)}`);
    throw err;
  }
}

export function note(message: string): void {
  console.error(`[setup]   ${message}`);
}

function seconds(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}
