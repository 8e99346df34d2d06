import { escapeHtml } from "../shared/http";

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:40rem}code{background:#f3f3f3;padding:0 .25rem}</style>
</head><body><p><b>Mock Identity Provider</b> (idp.test)</p>${body}</body></html>`;
}

/** Worded like Google's page for the same failure, so the harness's users recognise it (field report B1). */
export function redirectUriMismatchPage(received: string): string {
  return layout(
    "Error 400: redirect_uri_mismatch",
    `<h1>Access blocked: This app's request is invalid</h1>
<h2 id="error-code" data-error="redirect_uri_mismatch">Error 400: redirect_uri_mismatch</h2>
<p>You can't sign in because this app sent an invalid request.</p>
<p>The redirect URI in the request, <code id="received-redirect-uri">${escapeHtml(received)}</code>,
does not match the ones authorized for the OAuth client.</p>`,
  );
}

export function badRequestPage(error: string, detail: string): string {
  return layout(
    `Error 400: ${error}`,
    `<h1>Error 400: <span id="error-code" data-error="${escapeHtml(error)}">${escapeHtml(error)}</span></h1><p>${escapeHtml(detail)}</p>`,
  );
}

export function consentPage(clientId: string, requestId: string, userName: string): string {
  return layout(
    "Sign in",
    `<h1>Sign in to ${escapeHtml(clientId)}</h1>
<form method="post" action="/authorize/approve">
  <input type="hidden" name="request" value="${escapeHtml(requestId)}">
  <button id="approve" type="submit">Continue as ${escapeHtml(userName)}</button>
</form>`,
  );
}
