import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import type {
  SplitOriginObservation,
  SplitRestObservation,
  SplitSockJsObservation,
  SplitSseObservation,
  SplitUploadObservation,
} from "./observations";
import { SPLIT_PAGE_TIMEOUT_MS } from "./timing";
import { uploadLog } from "./upload-log";
import { isAborted } from "./browser/net-errors";

// Field reports B7-B10: the front end on www, the API on api. Each test loads the front end, which
// runs one feature against the API the way the variant's frontend.js says; the observation is what the page
// recorded and what the browser itself reported (console errors, failed requests), normalized.

interface PageRecord {
  token: { status: number | null } | null;
  rest: { status: number | null } | null;
  sockjs: { url: string; opened: boolean; transport: string | null; closeCode: number | null } | null;
  sse: { url: string; opened: boolean; events: number; errorReadyState: number | null } | null;
  upload: { status: number | null; bytes: number | null } | null;
  errors: string[];
  done: boolean;
}

/** SockJS's cache-buster and session ids, and tokens vary per run; the failure does not. */
export function normalize(text: string): string {
  return text
    .replace(/([?&])t=\d+/g, "$1t=<n>")
    .replace(/\/ws-stomp\/\d+\/[a-z0-9]+\//g, "/ws-stomp/<server>/<session>/")
    .replace(/\b[0-9a-f]{32}\b/g, "<token>");
}

async function runFrontEnd(page: Page, wwwUrl: string, run: "rest" | "sockjs" | "sse" | "upload") {
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  const responses: Array<{ url: string; status: number; contentType: string | null }> = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(normalize(m.text()));
  });
  // An aborted request is the page closing its own EventSource once it has its events, not a failure.
  page.on("requestfailed", (r) => {
    const reason = r.failure()?.errorText ?? "";
    if (!isAborted(reason)) failedRequests.push(normalize(`${r.method()} ${r.url()} ${reason}`.trim()));
  });
  page.on("response", (r) =>
    responses.push({ url: r.url(), status: r.status(), contentType: r.headers()["content-type"] ?? null }),
  );
  const nav = await page.goto(`${wwwUrl}/?run=${run}`);
  expect(nav?.status(), "the front end itself loads from www").toBe(200);
  await page.waitForFunction(() => (window as unknown as { split?: PageRecord }).split?.done === true, null, {
    timeout: SPLIT_PAGE_TIMEOUT_MS,
  });
  const record = await page.evaluate(() => (window as unknown as { split: PageRecord }).split);
  const base: SplitOriginObservation = {
    tokenStatus: record.token?.status ?? null,
    browserError: consoleErrors[0] ?? null,
    consoleErrors,
    failedRequests,
    pageErrors: record.errors.map(normalize),
  };
  return { record, base, responses };
}

const normalizeOrNull = (text: string | undefined): string | null => (text === undefined ? null : normalize(text));
/** "www" or "api": which host answered. */
const firstLabel = (url: string | undefined): string | null =>
  url === undefined ? null : (new URL(url).hostname.split(".")[0] ?? null);

test("split-rest: the front end gets a token and calls the API with it (CORS preflight, credentials)", async ({
  page,
  stack,
  expectObserved,
}) => {
  const { record, base } = await runFrontEnd(page, stack.wwwUrl!, "rest");
  const observation: SplitRestObservation = { ...base, restStatus: record.rest?.status ?? null };
  await expectObserved("split-rest", observation);
});

test("split-sockjs: the front end opens SockJS to the API: /info, transport, or the browser's error", async ({
  page,
  stack,
  expectObserved,
}) => {
  const { record, base, responses } = await runFrontEnd(page, stack.wwwUrl!, "sockjs");
  const info = responses.find((r) => /\/ws-stomp\/info\?/.test(r.url) || /\/login$/.test(r.url));
  const observation: SplitSockJsObservation = {
    ...base,
    sockjsUrl: normalizeOrNull(record.sockjs?.url),
    infoStatus: info?.status ?? null,
    infoHost: firstLabel(info?.url),
    opened: record.sockjs?.opened ?? false,
    transport: record.sockjs?.transport ?? null,
    closeCode: record.sockjs?.closeCode ?? null,
  };
  await expectObserved("split-sockjs", observation);
});

test("split-sse: the front end opens an EventSource on the API: events, or the browser's error", async ({
  page,
  stack,
  expectObserved,
}) => {
  const { record, base, responses } = await runFrontEnd(page, stack.wwwUrl!, "sse");
  const stream = responses.find((r) => /\/api\/events/.test(r.url));
  const observation: SplitSseObservation = {
    ...base,
    opened: record.sse?.opened ?? false,
    events: record.sse?.events ?? 0,
    errorReadyState: record.sse?.errorReadyState ?? null,
    streamStatus: stream?.status ?? null,
    streamContentType: stream?.contentType ?? null,
  };
  await expectObserved("split-sse", observation);
});

/**
 * What the upload showed: the page's record, and the status the proxy logged for it, since a response the CORS
 * check blocks never reaches the page (nor Playwright's response event).
 */
function uploadObservation(
  record: PageRecord,
  base: SplitOriginObservation,
  logged: { lines: string[]; status: number | null },
): SplitUploadObservation {
  const wireStatus = logged.status ?? record.upload?.status ?? null;
  return {
    ...base,
    uploadStatus: record.upload?.status ?? null,
    uploadBytes: record.upload?.bytes ?? null,
    wireStatus,
    proxyLogLines: logged.lines,
    firstFailingBytes: wireStatus === 413 ? 2 * 1024 * 1024 : null,
  };
}

test("split-upload: the front end posts 2 MiB to the API: its size, or the browser's error", async ({
  page,
  stack,
  expectObserved,
}) => {
  const logBefore = new Set(((await stack.logs()).proxy ?? "").split("\n"));
  const { record, base } = await runFrontEnd(page, stack.wwwUrl!, "upload");
  const logged = await uploadLog(stack, logBefore, record.upload?.status ?? null);
  await expectObserved("split-upload", uploadObservation(record, base, logged));
});
