import { SseLabPage } from "./browser/sse-lab";
import { test } from "./fixtures/test";
import type { SseWrongMimeObservation } from "./observations";
import { RECONNECT_WATCH_MS, scaled } from "./timing";

// Field report B10: an auth filter EventSource cannot satisfy sends it to a login page;
// Chromium: "EventSource's response has a MIME type ("text/html") that is not "text/event-stream"."
test("sse-wrong-mime: an EventSource redirected to an HTML login page fails for good", async ({
  page,
  stack,
  expectObserved,
}) => {
  const lab = new SseLabPage(page);
  const consoleErrors: string[] = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  let attempts = 0;
  let final: { status: number; contentType: string | null } | null = null;
  // Under any path prefix (`--path /push/`): the stream and the login page end the path.
  page.on("request", (r) => new URL(r.url()).pathname.endsWith("/sse") && attempts++);
  page.on("response", (r) => {
    if (new URL(r.url()).pathname.endsWith("/login-required"))
      final = { status: r.status(), contentType: r.headers()["content-type"] ?? null };
  });
  await lab.load(stack.base);
  await lab.open("s", "sse?auth=cookie&count=3");
  await lab.until("s", "s.errors.length >= 1", scaled(5_000));
  // Watch a while for reconnects: a failed EventSource must stay closed.
  // eslint-disable-next-line playwright/no-wait-for-timeout -- a reconnect that does not come is only seen by waiting
  await page.waitForTimeout(RECONNECT_WATCH_MS);
  const snap = await lab.snapshot("s");
  const got = final as { status: number; contentType: string | null } | null;

  const observation: SseWrongMimeObservation = {
    contentType: got?.contentType ?? null,
    status: got?.status ?? null,
    readyState: snap.readyState,
    opened: snap.opens.length > 0,
    attempts,
    consoleError: consoleErrors.find((e) => /EventSource/.test(e)) ?? null,
  };
  await expectObserved("sse-wrong-mime", observation);
});
