import type { Engine } from "../lib/browsers";
import type { Expectation } from "./expectation";
import type { Observations, ScenarioName } from "./observations";

/**
 * What Firefox shows differently from Chromium in a scenario on every project, measured (Firefox 159 over
 * WebDriver BiDi; docs/findings.md, "Two engines"). Only the browser's own words differ here, never what went over
 * the wire; a difference of one project is that project's `<variant>@firefox` row in its scenario's rows.
 */
export const FIREFOX_SAYS: { [S in ScenarioName]?: { must: Partial<Observations[S]>; why: string } } = {
  "sse-wrong-mime": {
    must: { consoleError: null },
    why: "Firefox logs the refused stream's MIME type to its Web Console as a network message, which WebDriver BiDi does not report as a log entry: the page sees the error event and readyState 2, as in Chromium.",
  },
};

/** A row as one engine must see it: Chromium's, with Firefox's own words where they differ. */
export function forEngine<S extends ScenarioName>(
  scenario: S,
  expectation: Expectation<Observations[S]>,
  engine: Engine,
): Expectation<Observations[S]> {
  const says = engine === "firefox" ? FIREFOX_SAYS[scenario] : undefined;
  if (!says) return expectation;
  const must: Record<string, unknown> = { ...expectation.must };
  for (const [key, value] of Object.entries(says.must)) if (key in must) must[key] = value;
  return { ...expectation, must: must as Partial<Observations[S]> };
}
