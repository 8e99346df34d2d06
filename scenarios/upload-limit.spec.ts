import { ladderAt, profileOfRun } from "../lib/profile";
import { test } from "./fixtures/test";
import type { UploadLimitObservation } from "./observations";
import { UPLOAD_HOLD_WATCH_MS, UPLOAD_LADDER_BYTES } from "./timing";

/** What a proxy writes about a body it refused, in any of their words. */
const ABOUT_BODIES = /body|content-length|too large|limit/i;
/** The first part of the streamed body: well inside HTTP/2's first flow-control window (64 KB). */
const FIRST_PART = 16_384;

/**
 * Passed on (the app had the first part before the page sent the second), held, failed (no 200 over HTTP/2), or
 * not possible: Chromium streams a request body over HTTP/2 only, and fails the fetch before sending anything;
 * Firefox streams none (it would send the stream's name as text, "[object ReadableStream]": 23 bytes, measured).
 */
function streamedOutcome(
  s: { status: number | null; firstPartSeenMs: number | null; streamsBodies: boolean },
  pageProtocol: string,
): UploadLimitObservation["streamedUpload"] {
  if (!s.streamsBodies) return "not-possible";
  if (s.status === 200) return s.firstPartSeenMs === null ? "held" : "passed-on";
  return s.status === null && !/^h[23]/.test(pageProtocol) ? "not-possible" : "failed";
}

/** Chromium's line for the failing step (a page's other errors, e.g. a missing favicon, are not the upload's). */
function consoleLineOf(failing: { status: number | null } | null, lines: readonly string[]): string | null {
  if (!failing) return null;
  return lines.find((e) => (failing.status ? e.includes(`status of ${failing.status}`) : /upload/.test(e))) ?? null;
}

// Field report B19: uploads of a few megabytes against the proxy's body limit (nginx's client_max_body_size is
// 1 MB by default: 413), and a proxy that reads the whole body before the app sees a byte of it.
test("upload-limit: uploads on a ladder of sizes, and whether the app sees a body before its end", async ({
  page,
  stack,
  expectObserved,
}) => {
  const proxyLogBefore = new Set(((await stack.logs()).proxy ?? "").split("\n"));
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  await page.goto(`${stack.base}/`);
  const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  const ladder: UploadLimitObservation["ladder"] = [];
  // With an app profile: the smallest step, then an upload of exactly the profile's uploads.maxBytes.
  for (const bytes of ladderAt(UPLOAD_LADDER_BYTES, profileOfRun()?.uploads?.maxBytes)) {
    const step = await page.evaluate(
      ([url, n]) =>
        fetch(url, { method: "POST", body: new Blob([new Uint8Array(n)]), cache: "no-store" }).then(
          async (r) => {
            const text = await r.text();
            if (r.ok)
              return { status: r.status, appReceived: (JSON.parse(text) as { bytes: number }).bytes, text: null };
            // The error page's own words: its <title>, else its first line.
            const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1] ?? text.split("\n")[0] ?? "";
            return { status: r.status, appReceived: null, text: title.trim().slice(0, 120) };
          },
          (e: unknown) => ({ status: null, appReceived: null, text: String(e).slice(0, 120) }),
        ),
      [`${stack.base}/upload?id=${run}-${bytes}`, bytes] as const,
    );
    ladder.push({ bytes, ...step });
  }
  const failing = ladder.find((s) => s.status !== 200) ?? null;

  // A body sent in two parts, as a page streams an upload: after the first, the page asks the app what it has.
  // Chromium streams a request body over HTTP/2 only; over HTTP/1.1 the fetch fails before sending anything.
  const streamed = await page.evaluate(
    async ([base, id, firstPart, watchMs]) => {
      const seen = async () =>
        ((await (await fetch(`${base}/upload/seen?id=${id}`, { cache: "no-store" })).json()) as { bytes: number })
          .bytes;
      // The standard feature test for request streams: a browser that streams them reads `duplex` and sets no
      // Content-Type for a stream body (one that does not stringifies the stream and calls it text/plain).
      let duplexRead = false;
      const typed = new Request(base, {
        method: "POST",
        body: new ReadableStream(),
        get duplex() {
          duplexRead = true;
          return "half";
        },
      } as RequestInit).headers.has("content-type");
      if (!duplexRead || typed)
        return {
          status: null,
          error: "this browser cannot stream a request body",
          firstPartSeenMs: null,
          appReceived: 0,
          streamsBodies: false,
        };
      let firstPartSeenMs: number | null = null;
      let release: () => void = () => undefined;
      const secondPart = new Promise<void>((r) => (release = r));
      const body = new ReadableStream<Uint8Array>({
        async start(c) {
          c.enqueue(new Uint8Array(firstPart));
          await secondPart;
          c.enqueue(new Uint8Array(firstPart));
          c.close();
        },
      });
      const upload = fetch(`${base}/upload?id=${id}`, {
        method: "POST",
        body,
        duplex: "half",
        cache: "no-store",
      } as RequestInit).then(
        (r) => ({ status: r.status as number | null, error: null as string | null }),
        (e: unknown) => ({ status: null, error: String(e).slice(0, 160) }),
      );
      const sentAt = performance.now();
      const failedEarly = await Promise.race([
        upload.then((u) => u.status === null),
        new Promise<false>((r) => setTimeout(() => r(false), 50)),
      ]);
      if (!failedEarly) {
        while (performance.now() - sentAt < watchMs) {
          if ((await seen()) > 0) {
            firstPartSeenMs = Math.round(performance.now() - sentAt);
            break;
          }
          await new Promise((r) => setTimeout(r, 25));
        }
      }
      release();
      const done = await upload;
      return { ...done, firstPartSeenMs, appReceived: await seen(), streamsBodies: true };
    },
    [stack.base, `${run}-streamed`, FIRST_PART, UPLOAD_HOLD_WATCH_MS] as const,
  );
  const pageProtocol = await page.evaluate(
    () => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).nextHopProtocol,
  );
  const streamedUpload = streamedOutcome(streamed, pageProtocol);

  // New lines only, and not access-log lines that merely name the ladder's own paths.
  const proxyLogLines = ((await stack.logs()).proxy ?? "")
    .split("\n")
    .filter((l) => l && !proxyLogBefore.has(l) && ABOUT_BODIES.test(l.replace(/\/upload\S*/g, "")))
    .slice(0, 5);
  const observation: UploadLimitObservation = {
    ladder,
    firstFailingBytes: failing?.bytes ?? null,
    failStatus: failing?.status ?? null,
    failText: failing?.text ?? null,
    consoleError: consoleLineOf(failing, consoleErrors),
    streamedUpload,
    bodyHeld: streamedUpload === "held",
    streamedFailed: streamedUpload === "failed",
    firstPartSeenMs: streamed.firstPartSeenMs,
    streamedStatus: streamed.status,
    streamedError: streamed.error,
    streamedAppReceived: streamed.appReceived,
    proxyLogLines,
    pageProtocol,
  };
  await expectObserved("upload-limit", observation);
});
