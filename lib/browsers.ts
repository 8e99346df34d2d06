/**
 * The browser axis: which engines run which projects. Chromium runs every project; Firefox's projects are the
 * same stacks seen by a second engine, named `<project>@firefox` (after a version's `@1.30`, if any).
 */
export type Engine = "chromium" | "firefox";
export const ENGINES: readonly Engine[] = ["chromium", "firefox"];

export const BROWSER_ENV = "PROXYLAB_BROWSER";
/** default: Chromium everywhere, Firefox on FIREFOX_DEFAULT_VARIANTS; all: both everywhere; or one engine. */
export type BrowserChoice = "default" | "all" | Engine;

/**
 * Firefox's share of the default matrix: nginx's four first field variants (the design card's), each other kind's
 * fixed config (HAProxy's offers WebSockets over HTTP/2), and the split-origin fixed one (www and api on one
 * address and one certificate: connection coalescing). Eight, so `.ci/run` keeps its 45 minutes (docs/findings.md,
 * "Two engines"); the naive configs and every other variant are PROXYLAB_BROWSER=all (or firefox) away.
 */
export const FIREFOX_DEFAULT_VARIANTS: readonly string[] = [
  "http1.0-default",
  "missing-upgrade",
  "buffering-on",
  "fixed",
  "apache-fixed",
  "haproxy-fixed",
  "caddy-default",
  "split-fixed",
];

export function browserChoice(env: NodeJS.ProcessEnv = process.env): BrowserChoice {
  const asked = env[BROWSER_ENV]?.trim().toLowerCase();
  if (!asked) return "default";
  if (asked === "default" || asked === "all" || asked === "chromium" || asked === "firefox") return asked;
  throw new Error(
    `${BROWSER_ENV}=${asked}: use chromium, firefox, all (both engines on every project), or leave it unset (Chromium everywhere, Firefox on ${FIREFOX_DEFAULT_VARIANTS.length} variants).`,
  );
}

/** The engines that run one project of this run. */
export function enginesOf(projectName: string, choice: BrowserChoice = browserChoice()): Engine[] {
  if (choice === "chromium" || choice === "firefox") return [choice];
  if (choice === "all") return [...ENGINES];
  return FIREFOX_DEFAULT_VARIANTS.includes(projectName) ? [...ENGINES] : ["chromium"];
}

const SUFFIX = "@firefox";

/** The Playwright project's name: the project's own for Chromium, `<project>@firefox` for Firefox. */
export function engineProjectName(projectName: string, engine: Engine): string {
  return engine === "chromium" ? projectName : `${projectName}${SUFFIX}`;
}

/** A cell or column of Chromium's: where fixes are proven (a Firefox column is the same config, another engine). */
export const onChromium = (c: { variant: string }): boolean => splitEngine(c.variant).engine === "chromium";

/** A Playwright project's name back to its project (the stack) and its engine. */
export function splitEngine(name: string): { project: string; engine: Engine } {
  return name.endsWith(SUFFIX)
    ? { project: name.slice(0, -SUFFIX.length), engine: "firefox" }
    : { project: name, engine: "chromium" };
}

/** Every Playwright project of a run: each project once per engine that runs it. */
export function engineProjectNames(projectNames: readonly string[], choice: BrowserChoice = browserChoice()): string[] {
  return projectNames.flatMap((p) => enginesOf(p, choice).map((e) => engineProjectName(p, e)));
}
