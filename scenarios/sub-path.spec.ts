import type { Page } from "@playwright/test";
import { test } from "./fixtures/test";
import type { SubPathObservation } from "./observations";
import { SseLabPage } from "./browser/sse-lab";
import { CHAT_CONNECT_TIMEOUT_MS, OAUTH_STEP_MS, SSE_FIRST_EVENT_BOUND_MS } from "./timing";
import { isAborted } from "./browser/net-errors";

// Field report B17: the app under a sub-path. The app builds its own URLs as root paths under the prefix it
// knows (the one it was reached under, else X-Forwarded-Prefix): a proxy that strips the prefix and says
// nothing sends the browser outside it. What the browser asked for, and what came back, is the observation.

/** `GET /static/sockjs.min.js` without the origin and query; SockJS's server and session ids made stable. */
const shown = (method: string, url: URL) =>
  `${method} ${url.pathname.replace(/\/ws-stomp\/\d+\/[a-z0-9]+\//, "/ws-stomp/<server>/<session>/")}`;

const underPrefix = (url: string | null, prefix: string) =>
  url === null ? null : new URL(url).pathname.startsWith(`${prefix}/`);

/** A page's requests to its own origin that leave the prefix, and the failed ones, into the cell's two sets. */
function watchRequests(page: Page, base: string, prefix: string, leftPrefix: Set<string>, failed: Set<string>) {
  const origin = new URL(base).origin;
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.origin === origin && !url.pathname.startsWith(`${prefix}/`)) leftPrefix.add(shown(r.method(), url));
  });
  page.on("response", (r) => {
    if (r.status() >= 400) failed.add(`${shown(r.request().method(), new URL(r.url()))} ${r.status()}`);
  });
  page.on("requestfailed", (r) => {
    const reason = r.failure()?.errorText ?? "";
    // The page closing its own polling requests when it leaves is not a failure of the proxy.
    if (!isAborted(reason)) failed.add(`${shown(r.method(), new URL(r.url()))} ${reason}`);
  });
}

/** The chat page: its requests to its own origin, the failed ones, and SockJS's transport once it connects. */
async function openChat(page: Page, base: string, prefix: string, leftPrefix: Set<string>, failed: Set<string>) {
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  watchRequests(page, base, prefix, leftPrefix, failed);
  const response = await page.goto(`${base}/chat?user=alice&room=sub-path`).catch(() => null);
  // Connected, closed, or without its scripts (nothing will ever connect): whichever comes first.
  await page
    .waitForFunction(
      () => {
        const w = window as unknown as { chat?: { transport: string | null; closes: unknown[] }; StompJs?: unknown };
        return !w.chat || w.StompJs === undefined || w.chat.transport !== null || w.chat.closes.length > 0;
      },
      null,
      { timeout: CHAT_CONNECT_TIMEOUT_MS },
    )
    .catch(() => undefined);
  const transport = await page
    .evaluate(() => (window as unknown as { chat?: { transport: string | null } }).chat?.transport ?? null)
    .catch(() => null);
  return { chatStatus: response?.status() ?? null, transport, pageErrors };
}

/**
 * The app's own event stream (the URL its page builds under its prefix, as ragflow's does): the path the page
 * asked for, and the events that came before the stream ended or EventSource gave up.
 */
async function openStream(page: Page, base: string, prefix: string, leftPrefix: Set<string>, failed: Set<string>) {
  watchRequests(page, base, prefix, leftPrefix, failed);
  const lab = new SseLabPage(page);
  const loaded = await lab
    .load(base)
    .then(() => true)
    .catch(() => false);
  if (!loaded) return { streamPath: null, streamEvents: 0 };
  const url = await page.evaluate(
    () => `${(window as unknown as { sseLab: { appStream: string } }).sseLab.appStream}?count=2&first=0&interval=100`,
  );
  await lab.open("app", url, 2);
  // Both events, or an EventSource that gave up (a 404, an empty 200): whichever comes first.
  await lab.until("app", "s.events.length >= 2 || s.readyState === 2", SSE_FIRST_EVENT_BOUND_MS).catch(() => undefined);
  const snap = await lab.snapshot("app");
  return { streamPath: new URL(snap.url, base).pathname, streamEvents: snap.events.length };
}

/** The prefix without its slash, as a user types it: the first answer, and where the browser ends. */
async function openBare(page: Page, base: string) {
  let first: { status: number; location: string | null } | null = null;
  page.on("response", (r) => {
    if (first === null && r.request().isNavigationRequest())
      first = { status: r.status(), location: r.headers()["location"] ?? null };
  });
  const ended = await page
    .goto(base)
    .then(() => {
      const url = new URL(page.url());
      return `${url.origin}${url.pathname}`;
    })
    .catch((err: Error) => /net::ERR_[A-Z_]+|NS_ERROR_[A-Z_]+/.exec(err.message)?.[0] ?? err.message.split("\n")[0]!);
  const seen = first as { status: number; location: string | null } | null;
  const location = seen?.location ? new URL(seen.location, base).href : null;
  return {
    bareStatus: seen?.status ?? null,
    bareLocation: seen?.location ?? null,
    bareEnded: ended,
    redirectLeftOrigin: location !== null && new URL(location).origin !== new URL(base).origin,
  };
}

/** The sign-in from the index page: the redirect_uri the browser carries to the provider, or null. */
async function signIn(page: Page, stack: { base: string; idpUrl: string }): Promise<string | null> {
  const index = await page.goto(`${stack.base}/`).catch(() => null);
  if (!index?.ok()) return null;
  const [authorize] = await Promise.all([
    page
      .waitForRequest((r) => r.url().startsWith(`${stack.idpUrl}/authorize`), { timeout: OAUTH_STEP_MS })
      .catch(() => null),
    page.locator("#sign-in").click(),
  ]);
  return authorize ? new URL(authorize.url()).searchParams.get("redirect_uri") : null;
}

test("sub-path: the app's own URLs under its prefix: scripts, SockJS, its event stream, the sign-in's redirect_uri", async ({
  browser,
  stack,
  expectObserved,
}) => {
  const prefix = new URL(stack.base).pathname.replace(/\/$/, "");
  const context = await browser.newContext();
  const leftPrefix = new Set<string>();
  const failed = new Set<string>();
  try {
    const chat = await openChat(await context.newPage(), stack.base, prefix, leftPrefix, failed);
    const stream = await openStream(await context.newPage(), stack.base, prefix, leftPrefix, failed);
    const sentRedirectUri = await signIn(await context.newPage(), stack);
    const bare = await openBare(await context.newPage(), stack.base);
    const provider = (await (await fetch(`${stack.idpDebugUrl}/debug/authorize-requests`)).json()) as {
      registeredRedirectUri: string;
    };
    const observation: SubPathObservation = {
      prefix,
      ...chat,
      ...stream,
      leftPrefix: [...leftPrefix].sort(),
      failedRequests: [...failed].sort(),
      ...bare,
      sentRedirectUri,
      registeredRedirectUri: provider.registeredRedirectUri,
      sentMatchesRegistered: sentRedirectUri === provider.registeredRedirectUri,
      redirectUriKeptPrefix: underPrefix(sentRedirectUri, prefix),
    };
    await expectObserved("sub-path", observation);
  } finally {
    await context.close();
  }
});
