import { ladderAt, profileOfRun } from "../lib/profile";
import { test } from "./fixtures/test";
import type { BigHeadersObservation } from "./observations";
import { HEADER_LADDER_BYTES } from "./timing";

/** Browsers keep cookies of up to 4096 bytes: the request side's ladder is made of chunks this big. */
const CHUNK = 3_900;
/** What a proxy writes about a header it refused, in any of their words. */
const ABOUT_HEADERS = /header|cookie|field|too (big|large)|buffer/i;

const firstFailing = <T extends { status: number | null }>(ladder: readonly T[]): T | null =>
  ladder.find((s) => s.status !== 200) ?? null;

// Field report B14: big response headers (an OIDC session's cookies) or big request headers (many cookies)
// against the proxy's header buffers: 502 or 400 at some size, and the proxy's log says why.
test("big-headers: Set-Cookie and Cookie on a ladder of sizes: the status of each step, the proxy's log", async ({
  page,
  stack,
  expectObserved,
}) => {
  const proxyLogBefore = new Set(((await stack.logs()).proxy ?? "").split("\n"));
  await page.goto(`${stack.base}/`);
  const status = (url: string) =>
    page.evaluate(
      (u) =>
        fetch(u, { cache: "no-store" }).then(
          async (r) => {
            if (r.ok) return { status: r.status, body: (await r.json()) as { cookieBytes?: number }, text: null };
            // The error page's own words: its <title>, else its first line.
            const page = await r.text();
            const title = /<title>([^<]*)<\/title>/i.exec(page)?.[1] ?? page.split("\n")[0] ?? "";
            return { status: r.status, body: null, text: title.trim().slice(0, 120) };
          },
          (e: unknown) => ({ status: null, body: null, text: String(e).slice(0, 120) }),
        ),
      url,
    );

  // With an app profile: the smallest step, then headers of exactly the profile's headers.maxBytes.
  const sizes = ladderAt(HEADER_LADDER_BYTES, profileOfRun()?.headers?.maxBytes);
  const responseLadder: BigHeadersObservation["responseLadder"] = [];
  for (const bytes of sizes) {
    const r = await status(`${stack.base}/headers/set?bytes=${bytes}`);
    responseLadder.push({ bytes, status: r.status, text: r.text });
  }

  const requestLadder: BigHeadersObservation["requestLadder"] = [];
  const echo = new URL(`${stack.base}/headers/echo`);
  for (const bytes of sizes) {
    await page.context().clearCookies();
    const count = Math.ceil(bytes / CHUNK);
    await page.context().addCookies(
      Array.from({ length: count }, (_, i) => ({
        name: `proxylab_fat_${i}`,
        value: "c".repeat(Math.min(CHUNK, bytes - i * CHUNK)),
        domain: echo.hostname,
        path: echo.pathname,
      })),
    );
    const r = await status(echo.href);
    requestLadder.push({ bytes, status: r.status, appReceived: r.body?.cookieBytes ?? null, text: r.text });
  }
  await page.context().clearCookies();

  // New lines only, and not access-log lines that merely name the ladder's own paths.
  const proxyLogLines = ((await stack.logs()).proxy ?? "")
    .split("\n")
    .filter((l) => l && !proxyLogBefore.has(l) && ABOUT_HEADERS.test(l.replace(/\/headers\/\S*/g, "")))
    .slice(0, 5);
  const [resFail, reqFail] = [firstFailing(responseLadder), firstFailing(requestLadder)];
  const observation: BigHeadersObservation = {
    responseLadder,
    requestLadder,
    firstFailingResponseBytes: resFail?.bytes ?? null,
    firstFailingRequestBytes: reqFail?.bytes ?? null,
    responseFailStatus: resFail?.status ?? null,
    requestFailStatus: reqFail?.status ?? null,
    responseFailText: resFail?.text ?? null,
    requestFailText: reqFail?.text ?? null,
    proxyLogLines,
    pageProtocol: await page.evaluate(
      () => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).nextHopProtocol,
    ),
  };
  await expectObserved("big-headers", observation);
});
