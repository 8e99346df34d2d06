import { escapeHtml, readForm, sendHtml, type Routes } from "../shared/http";
import { publicPrefix } from "./path-prefix";
import { publicOrigin } from "./public-url";

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;

/**
 * A form whose post is answered with an absolute redirect built from what the proxy forwarded, as Rails'
 * `redirect_to` and a servlet's `sendRedirect` write it: behind a proxy that forwards the upstream's name, its
 * own scheme or its own port, the browser is sent to an origin it never used (field report B18, the app's side).
 */
export function formRoutes(): Routes {
  return {
    "GET /form/": (_req, res) =>
      sendHtml(
        res,
        200,
        page(
          "Contact",
          `<h1 id="state">form</h1><form method="post" action="send"><input name="message" value="hello"><button id="send" type="submit">Send</button></form>`,
        ),
      ),
    "POST /form/send": async (req, res) => {
      const form = await readForm(req);
      // 303: the browser follows with a GET, whatever the proxy does with the Location on its way back.
      res.writeHead(303, {
        location: `${publicOrigin(req.headers)}${publicPrefix(req)}/form/sent?message=${encodeURIComponent(form.get("message") ?? "")}`,
        "cache-control": "no-store",
      });
      res.end();
    },
    "GET /form/sent": (_req, res, url) =>
      sendHtml(
        res,
        200,
        page(
          "Sent",
          `<h1 id="state">sent</h1><p id="message">${escapeHtml(url.searchParams.get("message") ?? "")}</p>`,
        ),
      ),
  };
}
