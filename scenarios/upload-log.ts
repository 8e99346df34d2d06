import { pollUntil } from "./browser/clock";
import { UPLOAD_LOG_WAIT_MS } from "./timing";

/** The proxy's new lines about the upload: an access log line carries its status (`"POST /api/files HTTP/2.0" 413`). */
function uploadLines(log: string, before: ReadonlySet<string>): { lines: string[]; status: number | null } {
  const lines = log.split("\n").filter((l) => !before.has(l) && /POST \S*\/api\/files/.test(l));
  const status = lines.map((l) => /" (\d{3}) /.exec(l)?.[1]).find((s) => s !== undefined);
  return { lines, status: status === undefined ? null : Number(status) };
}

/**
 * The proxy's lines about the upload, read until one gives the status (bounded) when the page read none: Docker
 * delivers a container's log lines late under load (p99 0.24 s, max 0.35 s measured during a matrix run), so the
 * first read can come before any line about the upload, and the access line can come after the error log's
 * (`client intended to send too large body`), which says no status. Where the request never left the browser (mixed
 * content), no line comes and the bound is spent.
 */
export async function uploadLog(
  stack: { logs(): Promise<{ proxy?: string }> },
  before: ReadonlySet<string>,
  pageStatus: number | null,
  { waitMs = UPLOAD_LOG_WAIT_MS, pollMs = 100 } = {},
) {
  let seen = uploadLines("", before);
  const read = async () => {
    seen = uploadLines((await stack.logs()).proxy ?? "", before);
    return pageStatus !== null || seen.status !== null;
  };
  await pollUntil(read, waitMs, pollMs);
  return seen;
}
