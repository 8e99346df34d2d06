import path from "node:path";

/**
 * Where a run writes its reports: test-results/ in the harness's folder, or PROXYLAB_OUT (set by `proxylab check
 * --out`, default ./proxylab-results where the user runs it). One place for every writer and reader.
 */
export const RESULTS_DIR = process.env.PROXYLAB_OUT
  ? path.resolve(process.env.PROXYLAB_OUT)
  : path.join(path.resolve(__dirname, ".."), "test-results");

/** How to show a results path to the user: relative to where they are when it is below it. */
export function shownResult(...parts: string[]): string {
  const full = path.join(RESULTS_DIR, ...parts);
  const rel = path.relative(process.env.INIT_CWD ?? process.cwd(), full);
  return rel && !rel.startsWith("..") ? rel : full;
}
