import { sizeText } from "../../lib/byte-sizes";
import type { AppProfile, Feature } from "../../lib/profile";
import { FEATURES } from "../../lib/profile";
import { levelOfCell } from "../../scenarios/levels";
import type { MatrixCell } from "./fix";

/** One finding per scenario (a config swept over nginx versions shows one finding on several columns). */
const byScenario = (cells: readonly MatrixCell[]) => [...new Map(cells.map((c) => [c.scenario, c])).values()];

/**
 * The exit code of a run by its findings' levels: 1 when something breaks (with a profile, a limit it needs is
 * one), 0 otherwise; --strict: 1 on any finding. The line says which rule gave it.
 */
export function exitRule(
  cells: readonly MatrixCell[],
  strict: boolean,
  profileFrom: string | null,
): { code: number; line: string; limits: MatrixCell[] } {
  const found = cells.filter((c) => c.healthy === false || c.state === "error");
  const of = (level: string) => byScenario(found.filter((c) => levelOfCell(c) === level));
  const [breaks, limits, notes] = [of("breaks"), of("limit"), of("note")];
  const code = breaks.length > 0 || (strict && found.length > 0) ? 1 : 0;
  const counts = `${breaks.length} break${breaks.length === 1 ? "" : "s"}, ${limits.length} limit${limits.length === 1 ? "" : "s"}, ${notes.length} note${notes.length === 1 ? "" : "s"}`;
  const rule = strict
    ? "--strict: any finding fails the run"
    : profileFrom
      ? `a limit your profile (${profileFrom}) needs breaks; other limits and notes do not fail the run (--strict makes them)`
      : "limits and notes do not fail the run without a profile (--strict makes them)";
  return { code, line: `exit ${code}: ${counts}; ${rule}.`, limits };
}

/** Example numbers for the profile a user would write to judge each limit seen, as JSON. */
export function suggestedProfile(limits: readonly MatrixCell[]): string {
  const p: Record<string, unknown> = { uses: Object.keys(FEATURES) };
  for (const c of limits) {
    if (c.scenario === "idle-timeout") Object.assign(p, { sse: { heartbeatS: 25 }, websocket: { quietS: 30 } });
    if (c.scenario === "sse-connection-limit") p.streamsPerPage = 4;
    if (c.scenario === "big-headers") p.headers = { maxBytes: "8KB" };
    if (c.scenario === "upload-limit") p.uploads = { maxBytes: "20MB" };
  }
  const json = JSON.stringify(p, null, 2).replace(
    /\[\s+([^\]]*?)\s+\]/g,
    (_, inner: string) => `[${inner.replace(/\s+/g, " ")}]`,
  );
  return `${json}\n(example numbers: write your app's own; "uses" lists only the features it has)`;
}

/** What a profile changes, said before the run: where it came from, what is not run, the numbers tested. */
export function profileLines(
  found: { profile: AppProfile; from: string } | null,
  skip: ReadonlyArray<{ s: string; f: Feature | null }>,
): string[] {
  if (!found) return ['app profile: none (proxylab.json, package.json "proxylab" or --profile): limits are warnings'];
  const { profile: p, from } = found;
  const numbers = [
    p.sse?.heartbeatS !== undefined ? `SSE heart-beats every ${p.sse.heartbeatS} s` : "",
    p.websocket?.quietS !== undefined ? `WebSockets quiet up to ${p.websocket.quietS} s` : "",
    p.uploads?.maxBytes !== undefined ? `uploads of ${sizeText(p.uploads.maxBytes)}` : "",
    p.uploads?.streamed ? "uploads streamed to the app" : "",
    p.headers?.maxBytes !== undefined ? `headers of ${sizeText(p.headers.maxBytes)}` : "",
    p.streamsPerPage !== undefined ? `${p.streamsPerPage} event streams per page` : "",
  ].filter(Boolean);
  return [
    `app profile from ${from}: uses ${p.uses ? p.uses.join(", ") : "every feature"}${numbers.length ? `; limits tested at: ${numbers.join(", ")}` : ""}`,
    ...(skip.length
      ? [`not run, the app does not use them (${from} "uses"): ${skip.map((x) => `${x.s} (${x.f})`).join(", ")}`]
      : []),
  ];
}
