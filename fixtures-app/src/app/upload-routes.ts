import type { Routes } from "../shared/http";
import { sendJson } from "../shared/http";

/** The app takes uploads of up to 64 MiB: the ladder goes to 16 MiB, so any limit that shows is the proxy's. */
export const APP_UPLOAD_LIMIT = 64 * 1024 * 1024;

/** What the app has received of one upload so far, in its own clock (the host's: containers share it). */
export interface UploadRecord {
  bytes: number;
  firstByteAt: number | null;
  lastByteAt: number | null;
  done: boolean;
}

/**
 * Uploads, as an app that streams them sees them (field report B19). `POST /upload?id=X` counts the body as it
 * arrives and answers its size; `GET /upload/seen?id=X` says how much of upload X has arrived so far, so a page
 * that sends a body in parts can tell whether the proxy passes the first part on or holds it until the end.
 */
export function uploadRoutes(): Routes {
  const uploads = new Map<string, UploadRecord>();
  const recordFor = (id: string): UploadRecord => {
    let r = uploads.get(id);
    if (!r) {
      r = { bytes: 0, firstByteAt: null, lastByteAt: null, done: false };
      uploads.set(id, r);
      // A bounded memory of recent uploads: a cell reads its own within seconds.
      if (uploads.size > 200) uploads.delete(uploads.keys().next().value!);
    }
    return r;
  };
  return {
    "POST /upload": async (req, res, url) => {
      const r = recordFor(url.searchParams.get("id") ?? `anon-${Date.now()}`);
      for await (const chunk of req) {
        const now = Date.now();
        r.firstByteAt ??= now;
        r.lastByteAt = now;
        r.bytes += (chunk as Buffer).length;
        if (r.bytes > APP_UPLOAD_LIMIT) {
          sendJson(res, 413, { error: `the app takes at most ${APP_UPLOAD_LIMIT} bytes`, ...r });
          req.destroy();
          return;
        }
      }
      r.done = true;
      sendJson(res, 200, r);
    },
    "GET /upload/seen": (_req, res, url) => {
      const r = uploads.get(url.searchParams.get("id") ?? "");
      sendJson(res, 200, r ?? { bytes: 0, firstByteAt: null, lastByteAt: null, done: false });
    },
  };
}
