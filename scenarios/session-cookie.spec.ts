import type { Page, Request, Response } from "@playwright/test";
import { test } from "./fixtures/test";
import type { SessionCookieObservation } from "./observations";
import { OAUTH_STEP_MS } from "./timing";

const COOKIE = "proxylab_session";

/** `name=value; Path=/; Secure; SameSite=Lax` → the session cookie's attributes, or null without one. */
function parseSetCookie(
  header: string | undefined,
): { secure: boolean; sameSite: string | null; path: string | null } | null {
  const line = (header ?? "").split("\n").find((l) => l.trim().startsWith(`${COOKIE}=`));
  if (!line) return null;
  const attrs = line.split(";").map((a) => a.trim());
  const value = (name: string) =>
    attrs.find((a) => a.toLowerCase().startsWith(`${name.toLowerCase()}=`))?.split("=")[1] ?? null;
  return { secure: attrs.some((a) => a.toLowerCase() === "secure"), sameSite: value("SameSite"), path: value("Path") };
}

/**
 * Opens the sign-in page and submits it; or stops where the proxy sent the browser instead of the page (a redirect
 * to a port nobody publishes), which the navigation's failure records.
 */
async function signIn(page: Page, url: string): Promise<string | null> {
  let failure: string | null = null;
  const failed = (r: Request) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) failure = r.failure()?.errorText ?? "failed";
  };
  page.on("requestfailed", failed);
  const form = await page.goto(url).catch(() => null);
  page.off("requestfailed", failed);
  if (!form) return failure ?? "navigation failed";
  await page.locator("#submit").click({ timeout: OAUTH_STEP_MS });
  // Signed in (/session/me), asked again (/session/?again=1), or stopped elsewhere (a proxy's error page).
  await page
    .waitForURL((u) => !u.pathname.endsWith("/session/") || u.searchParams.has("again"), { timeout: OAUTH_STEP_MS })
    .catch(() => undefined);
  // Bounded: Firefox fires no load event for its own error page (about:neterror).
  await page.waitForLoadState("load", { timeout: OAUTH_STEP_MS }).catch(() => undefined);
  return null;
}

// Field report B13: the sign-in succeeds, the next page asks to sign in again; no session cookie in the browser.
test("session-cookie: a password sign-in sets the session cookie and the next page is signed in", async ({
  page,
  stack,
  expectObserved,
}) => {
  let login: Response | null = null;
  let signInPagesShown = 0;
  let lastStatus = 0;
  page.on("response", (r) => {
    const request = r.request();
    if (request.frame() !== page.mainFrame() || !request.isNavigationRequest()) return;
    const url = new URL(r.url());
    lastStatus = r.status();
    if (request.method() === "POST" && url.pathname.endsWith("/session/login")) login = r;
    if (r.status() === 200 && url.pathname.endsWith("/session/")) signInPagesShown++;
  });
  // The sign-in page's own failure (a redirect to a port nobody publishes), or null when it loaded.
  const failure = await signIn(page, `${stack.base}/session/`);
  const answer = login as Response | null;
  const cookie = parseSetCookie(answer ? (await answer.allHeaders())["set-cookie"] : undefined);
  const state = await page
    .locator("#state")
    .textContent({ timeout: 1_000 })
    .catch(() => null);
  await expectObserved("session-cookie", {
    loginStatus: answer?.status() ?? 0,
    setCookieSeen: cookie !== null,
    cookieSecure: cookie?.secure ?? null,
    cookieSameSite: cookie?.sameSite ?? null,
    cookiePath: cookie?.path ?? null,
    cookieInBrowser: (await page.context().cookies()).some((c) => c.name === COOKIE),
    signInPagesShown,
    finalState: failure ?? (state?.trim() || `status ${lastStatus}`),
    finalPath: new URL(page.url()).pathname,
    pageProtocol: await page.evaluate(() => location.protocol),
  } satisfies SessionCookieObservation);
});
