import type { Page, Response } from "@playwright/test";
import { test } from "./fixtures/test";
import type { FormRedirectObservation } from "./observations";
import { urlDifferences } from "./symptom-rules";
import { OAUTH_STEP_MS } from "./timing";

// Field report B18, the app's side: a form post answered with an absolute 303 that the app builds from what the
// proxy forwarded (Host, X-Forwarded-Proto/Host/Port, a prefix). Where it points, and where the browser ends.

/** Opens the form under `base`, sends it, and follows the app's redirect as far as the browser gets. */
async function sendForm(page: Page, base: string): Promise<FormRedirectObservation> {
  const want = `${base}/form/sent`;
  let post: Response | null = null;
  let failure: string | null = null;
  page.on("response", (r) => {
    if (r.request().method() === "POST" && new URL(r.url()).pathname.endsWith("/form/send")) post = r;
  });
  page.on("requestfailed", (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) failure = r.failure()?.errorText ?? "failed";
  });
  const form = await page.goto(`${base}/form/`).catch(() => null);
  if (form?.ok()) {
    await page.locator("#send").click({ timeout: OAUTH_STEP_MS });
    // The app's page, another page, or a navigation that failed (a host that does not resolve, a closed port).
    await page
      .waitForURL((u) => !u.pathname.endsWith("/form/"), { timeout: OAUTH_STEP_MS, waitUntil: "commit" })
      .catch(() => undefined);
    // Bounded: Firefox fires no load event for its own error page (about:neterror), so an unbounded wait hangs.
    await page.waitForLoadState("load", { timeout: OAUTH_STEP_MS }).catch(() => undefined);
  }
  const answer = post as Response | null;
  const location = answer ? ((await answer.allHeaders())["location"] ?? null) : null;
  const resolved = location === null ? null : new URL(location, answer!.url()).href;
  const ended = new URL(page.url());
  const state = await page
    .locator("#state")
    .textContent({ timeout: 1_000 })
    .catch(() => null);
  return {
    formStatus: form?.status() ?? null,
    postStatus: answer?.status() ?? null,
    location,
    locationDiffers: resolved === null ? [] : urlDifferences(resolved.replace(/\?.*$/, ""), want),
    ended:
      failure ??
      (ended.protocol === "chrome-error:" || ended.href.startsWith("about:neterror")
        ? "error page"
        : `${ended.origin}${ended.pathname}`),
    finalState: state?.trim() ?? null,
  };
}

test("form-redirect: a form post's absolute redirect stays on the origin the browser used", async ({
  page,
  stack,
  expectObserved,
}) => {
  await expectObserved("form-redirect", await sendForm(page, stack.base));
});
