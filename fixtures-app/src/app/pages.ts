import { escapeHtml } from "../shared/http";

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:46rem}code,pre{background:#f3f3f3;padding:0 .25rem}</style>
</head><body>${body}</body></html>`;
}

export function indexPage(origin: string): string {
  return layout(
    "proxylab fixture app",
    `<h1>proxylab fixture app</h1>
<p>This app believes its public origin is <code id="public-origin">${escapeHtml(origin)}</code>.</p>
<ul>
  <li><a id="sign-in" href="login">Sign in with the mock provider</a></li>
  <li><a href="random-uuid">crypto.randomUUID in this context</a></li>
</ul>`,
  );
}

export function signedInPage(user: { sub: string; name: string }, redirectUri: string): string {
  return layout(
    "Signed in",
    `<h1 id="outcome" data-outcome="signed-in">Signed in as <span id="user" data-sub="${escapeHtml(user.sub)}">${escapeHtml(user.name)}</span></h1>
<p>redirect_uri used: <code id="redirect-uri">${escapeHtml(redirectUri)}</code></p>`,
  );
}

export function loginFailedPage(reason: string): string {
  return layout(
    "Sign-in failed",
    `<h1 id="outcome" data-outcome="login-failed">Sign-in failed</h1><p id="reason">${escapeHtml(reason)}</p>`,
  );
}

/**
 * Field report B3: crypto.randomUUID exists only in secure contexts. The page shows the failure
 * (typeof on a plain-http real hostname) and the fix (an id built on crypto.getRandomValues, which
 * every context has). The script is inline so the page needs nothing else from the proxy.
 */
export function randomUuidPage(): string {
  return layout(
    "crypto.randomUUID",
    `<h1>crypto.randomUUID in this context</h1>
<dl>
  <dt>window.isSecureContext</dt><dd id="is-secure-context">…</dd>
  <dt>typeof crypto.randomUUID</dt><dd id="random-uuid-type">…</dd>
  <dt>crypto.randomUUID()</dt><dd id="native-id">…</dd>
  <dt>app fallback (crypto.getRandomValues)</dt><dd id="fallback-id">…</dd>
  <dt>id the app uses</dt><dd id="app-id">…</dd>
</dl>
<script>
function fallbackUuid() {
  var b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  var h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}
function appUuid() {
  return typeof crypto.randomUUID === "function" ? crypto.randomUUID() : fallbackUuid();
}
var native;
try { native = crypto.randomUUID(); } catch (e) { native = "threw " + e.name + ": " + e.message; }
document.getElementById("is-secure-context").textContent = String(window.isSecureContext);
document.getElementById("random-uuid-type").textContent = typeof crypto.randomUUID;
document.getElementById("native-id").textContent = native;
document.getElementById("fallback-id").textContent = fallbackUuid();
document.getElementById("app-id").textContent = appUuid();
document.body.dataset.ready = "true";
</script>`,
  );
}
