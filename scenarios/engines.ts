import type { Engine } from "../lib/browsers";
import type { Bound, Expectation } from "./expectation";
import type { Observations, ScenarioName } from "./observations";

/**
 * What Firefox shows differently from Chromium in a scenario on every project, measured (Firefox 159 over
 * WebDriver BiDi; docs/findings.md, "Two engines"). Only the browser's own words differ here, never what went over
 * the wire; a difference of one project is that project's `<variant>@firefox` row in its scenario's rows.
 */
const SPLIT_CONSOLE =
  "Firefox writes its blocked-request, CORS and failed-resource messages to its Web Console as network messages, which WebDriver BiDi does not report as log entries: the page's own errors (pageErrors) and the requests (failedRequests) say what failed.";

type Overlay<O> = {
  /** Fields whose value Firefox shows differently, where the row names them. */
  must?: Partial<O>;
  /** Bounds Firefox is held to instead, where the row bounds the field; null: Firefox cannot tell, no bound. */
  bounds?: Partial<Record<keyof O, Bound | null>>;
  why: string;
};

export const FIREFOX_SAYS: { [S in ScenarioName]?: Overlay<Observations[S]> } = {
  "upload-limit": {
    must: { streamedUpload: "not-possible" },
    why: "Firefox streams no request body: a fetch with a ReadableStream body fails the standard feature test (it reads no `duplex` and types the body text/plain) and would send the stream's name, \"[object ReadableStream]\" (23 bytes, measured), so a body held whole by the proxy cannot be seen from Firefox. The ladder's limits are the same.",
  },
  "sse-open-latency": {
    bounds: { openMs: null },
    why: "Firefox hands a response to the page only with its first body bytes: with the app's headers flushed at once (curl, with Firefox's own request headers, has them in 9 ms), Firefox's fetch resolves, its EventSource opens and even its BiDi responseStarted event fires only with the first event (1.52 s of 1.5 s), through every proxy. So a stream without an opening comment opens late in Firefox whatever the proxy does; the comment's open (openMsWithOpeningComment) still tells a proxy that holds everything.",
  },
  "split-rest": { must: { browserError: null }, why: SPLIT_CONSOLE },
  "split-sockjs": { must: { browserError: null }, why: SPLIT_CONSOLE },
  "split-sse": { must: { browserError: null }, why: SPLIT_CONSOLE },
  "split-upload": { must: { browserError: null }, why: SPLIT_CONSOLE },
  "sse-wrong-mime": {
    must: { consoleError: null },
    why: "Firefox logs the refused stream's MIME type to its Web Console as a network message, which WebDriver BiDi does not report as a log entry: the page sees the error event and readyState 2, as in Chromium.",
  },
};

/**
 * The same event in each engine's own words, where a row quotes Chromium's (measured side by side on one stack).
 * Applied to every string a row's `must` names, also inside lists.
 */
export const FIREFOX_WORDS: ReadonlyArray<readonly [chromium: string, firefox: string]> = [
  ["net::ERR_CONNECTION_REFUSED", "NS_ERROR_CONNECTION_REFUSED"],
  ["TypeError: Failed to fetch", "TypeError: NetworkError when attempting to fetch resource."],
];

function inFirefoxWords(value: unknown): unknown {
  if (typeof value === "string")
    return FIREFOX_WORDS.reduce((text, [chromium, firefox]) => text.split(chromium).join(firefox), value);
  if (Array.isArray(value)) return value.map(inFirefoxWords);
  return value;
}

/** A row as one engine must see it: Chromium's, with Firefox's own words where they differ. */
export function forEngine<S extends ScenarioName>(
  scenario: S,
  expectation: Expectation<Observations[S]>,
  engine: Engine,
): Expectation<Observations[S]> {
  if (engine !== "firefox") return expectation;
  const says = FIREFOX_SAYS[scenario];
  const must: Record<string, unknown> = Object.fromEntries(
    Object.entries(expectation.must).map(([key, value]) => [key, inFirefoxWords(value)]),
  );
  for (const [key, value] of Object.entries(says?.must ?? {})) if (key in must) must[key] = value;
  const bounds: Record<string, Bound | undefined> = { ...expectation.bounds };
  for (const [key, bound] of Object.entries(says?.bounds ?? {}) as Array<[string, Bound | null]>)
    if (key in bounds) bounds[key] = bound ?? undefined;
  for (const key of Object.keys(bounds)) if (bounds[key] === undefined) delete bounds[key];
  return {
    ...expectation,
    must: must as Partial<Observations[S]>,
    bounds: bounds as Expectation<Observations[S]>["bounds"],
  };
}
