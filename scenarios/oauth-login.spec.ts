import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import type { OAuthLoginObservation, OAuthOutcome } from "./observations";
import { OAUTH_STEP_MS } from "./timing";

interface ProviderLog {
  registeredRedirectUri: string;
  requests: Array<{ state: string | null; redirectUri: string | null; outcome: string }>;
}

/** The provider's consent page, its error page or the app: where the login lands. Approves when asked. */
async function approveIfAsked(page: Page): Promise<void> {
  // Bounded: a login that ends on neither (a proxy's error page, a 404) is an outcome too ("other: <title>").
  const landed = page.locator("#approve, #error-code, #outcome").first();
  await landed.waitFor({ timeout: OAUTH_STEP_MS }).catch(() => undefined);
  if ((await landed.getAttribute("id").catch(() => null)) === "approve") {
    await landed.click();
    await page
      .locator("#error-code, #outcome")
      .first()
      .waitFor({ timeout: OAUTH_STEP_MS })
      .catch(() => undefined);
  }
  await page.waitForLoadState();
}

function outcomeOf(ended: { app: string | null; idp: string | null; title: string }): OAuthOutcome {
  if (ended.app === "signed-in" || ended.app === "login-failed") return ended.app;
  if (ended.idp === "redirect_uri_mismatch") return ended.idp;
  return `other: ${ended.app ?? ended.idp ?? ended.title}`;
}

// Field report B1: the login ends on the provider's "Error 400: redirect_uri_mismatch" only when deployed.
test("oauth-login: authorization-code login through the proxy ends signed in, or where it breaks", async ({
  page,
  stack,
  expectObserved,
}) => {
  let sentRedirectUri: string | null = null;
  let sentState: string | null = null;
  let finalStatus = 0;
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin === stack.idpUrl && url.pathname === "/authorize") {
      sentRedirectUri = url.searchParams.get("redirect_uri");
      sentState = url.searchParams.get("state");
    }
  });
  page.on("response", (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame())
      finalStatus = response.status();
  });

  await page.goto(`${stack.base}/`);
  await page.locator("#sign-in").click();
  // Where the login goes next is the observation: the provider's consent, its error page, or the app.
  await approveIfAsked(page);

  // The page the login ended on, read once: the app's outcome, the provider's error code, the user, the reason.
  const ended = await page.evaluate(() => ({
    app: document.querySelector("#outcome")?.getAttribute("data-outcome") ?? null,
    idp: document.querySelector("#error-code")?.getAttribute("data-error") ?? null,
    user: document.querySelector("#user")?.getAttribute("data-sub") ?? null,
    reason: document.querySelector("#reason")?.textContent ?? null,
    title: document.title,
  }));
  const providerLog = (await (await fetch(`${stack.idpDebugUrl}/debug/authorize-requests`)).json()) as ProviderLog;
  const received = providerLog.requests.find((r) => r.state === sentState)?.redirectUri ?? null;
  const finalUrl = new URL(page.url());

  const observation: OAuthLoginObservation = {
    outcome: outcomeOf(ended),
    reason: ended.reason,
    user: ended.user,
    finalStatus,
    finalUrl: `${finalUrl.origin}${finalUrl.pathname}`,
    sentRedirectUri,
    providerReceivedRedirectUri: received,
    registeredRedirectUri: providerLog.registeredRedirectUri,
    redirectUriMatchesRegistered: received === providerLog.registeredRedirectUri,
  };
  expect(sentState, "the browser's request to the provider's /authorize was seen").not.toBeNull();
  await expectObserved("oauth-login", observation);
});
