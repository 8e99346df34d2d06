import type { Page, Response } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import type { RandomUuidObservation } from "./observations";

// Field report B3: works on localhost, undefined once deployed on plain http.
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * What the page shows. A proxy's error page (a 502, or a 504 at its own timeout) is the cell's result: its status
 * is observed and the app's fields are empty, instead of waiting for an app that never rendered.
 */
async function readPage(page: Page, response: Response | null): Promise<RandomUuidObservation> {
  const isApp = response?.ok() === true;
  if (isApp) await expect(page.locator("body[data-ready=true]")).toBeAttached();
  const text = async (id: string) => (isApp ? ((await page.locator(`#${id}`).textContent())?.trim() ?? "") : "");
  const fallbackId = await text("fallback-id");
  return {
    status: response?.status() ?? 0,
    protocol: await page.evaluate(() => location.protocol),
    nextHopProtocol: await page.evaluate(
      () => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).nextHopProtocol,
    ),
    isSecureContext: (await text("is-secure-context")) === "true",
    randomUUIDType: await text("random-uuid-type"),
    fallbackId,
    fallbackIsV4: UUID_V4.test(fallbackId),
    appIdIsV4: UUID_V4.test(await text("app-id")),
  };
}

/**
 * The page's response, also when Chromium fails the navigation over it (an empty 502 from the proxy is
 * net::ERR_HTTP_RESPONSE_CODE_FAILURE): the status is the cell's finding, not an error of the test.
 */
async function load(page: Page, url: string): Promise<Response | null> {
  let seen: Response | null = null;
  const onResponse = (r: Response) => {
    if (r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()) seen = r;
  };
  page.on("response", onResponse);
  try {
    return (await page.goto(url).catch(() => null)) ?? seen;
  } finally {
    page.off("response", onResponse);
  }
}

test("random-uuid: crypto.randomUUID and the getRandomValues fallback, as the page sees them", async ({
  page,
  stack,
  expectObserved,
}) => {
  await expectObserved("random-uuid", await readPage(page, await load(page, `${stack.base}/random-uuid`)));
});
