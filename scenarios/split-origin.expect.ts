import type { Healthy, Rows } from "./expectation";

// Each split variant is one thing wrong; the browser's own error is asserted word for word (tokens and
// cache-busters normalized: scenarios/split-origin.spec.ts). Measured in Chromium 156.
const MIXED_CONTENT = (run: string) =>
  `Mixed Content: The page at 'https://www.app.test/?run=${run}' was loaded over HTTPS, but requested an insecure resource 'http://api.app.test/api/token'. This request has been blocked; the content must be served over HTTPS.`;
const SOCKJS_INSECURE =
  "sockjs: Error: SecurityError: An insecure SockJS connection may not be initiated from a page loaded over HTTPS";
const B8_DIAGNOSIS = {
  bug: "B8",
  why: "The front end calls the API over http:// from an https page: the browser blocks it as mixed content.",
  fix: [
    "const API_ORIGIN = 'https://api.example.com';  // https, or from location.protocol",
    "add_header Content-Security-Policy upgrade-insecure-requests;  # rescues fetch and EventSource, not SockJS",
  ],
} as const;

// Every feature works across the two hosts, and the browser has nothing to complain about.
export const healthyRest: Healthy<"split-rest"> = {
  must: { tokenStatus: 200, restStatus: 200, browserError: null, failedRequests: [], pageErrors: [] },
};
export const healthySockJs: Healthy<"split-sockjs"> = {
  must: { opened: true, transport: "websocket", infoStatus: 200, infoHost: "api", browserError: null, pageErrors: [] },
};
export const healthySse: Healthy<"split-sse"> = {
  must: { opened: true, events: 2, streamStatus: 200, browserError: null, pageErrors: [] },
};

export const restRows: Rows<"split-rest"> = {
  "split-fixed": healthyRest,
  "split-upload-limit": healthyRest,
  "split-sockjs-relative": healthyRest,
  // The token fetch to http:// is blocked as mixed content (B8).
  "split-mixed-content": {
    must: {
      tokenStatus: null,
      restStatus: null,
      browserError: MIXED_CONTENT("rest"),
      failedRequests: ["POST http://api.app.test/api/token mixed-content"],
    },
    diagnosis: B8_DIAGNOSIS,
  },
  // Firefox blocks the http:// fetch before it is a request: no network event, so no failed request; the page's
  // own error says it (measured, Firefox 159 over BiDi).
  "split-mixed-content@firefox": {
    must: { tokenStatus: null, restStatus: null, failedRequests: [] },
    diagnosis: B8_DIAGNOSIS,
  },
  // upgrade-insecure-requests rewrites fetch() to https: REST works.
  "split-mixed-content-csp": healthyRest,
  "split-info-redirect": healthyRest,
  "split-sse-header-auth": healthyRest,
};

export const sockJsRows: Rows<"split-sockjs"> = {
  "split-fixed": healthySockJs,
  "split-upload-limit": healthySockJs,
  // new SockJS('/ws-stomp') resolves against the page: /info goes to www, which answers 404 (B7).
  "split-sockjs-relative": {
    must: {
      sockjsUrl: "/ws-stomp",
      infoStatus: 404,
      infoHost: "www",
      opened: false,
      closeCode: 1002,
      browserError: "Failed to load resource: the server responded with a status of 404 ()",
    },
    diagnosis: {
      bug: "B7",
      why: "A SockJS URL relative to the page resolves against the front end's host: /info is asked of www, which answers 404, and SockJS gives up.",
      fix: ["new SockJS(API_ORIGIN + '/ws-stomp')  // from the API's origin, not the page's"],
    },
  },
  // The token fetch is blocked; SockJS refuses the http:// URL itself, before any request (B8).
  "split-mixed-content": {
    must: {
      opened: false,
      infoStatus: null,
      browserError: MIXED_CONTENT("sockjs"),
      pageErrors: ["token: TypeError: Failed to fetch", SOCKJS_INSECURE],
    },
    diagnosis: B8_DIAGNOSIS,
  },
  // SockJS checks the URL's scheme itself and throws before the browser could upgrade the request (B8).
  "split-mixed-content-csp": {
    must: { opened: false, infoStatus: null, browserError: null, pageErrors: [SOCKJS_INSECURE] },
    diagnosis: {
      bug: "B8",
      why: "SockJS refuses an http:// URL on an https page itself (SecurityError), before any request: Content-Security-Policy: upgrade-insecure-requests, which fixes fetch and EventSource, cannot reach it.",
      fix: ["new SockJS('https://api.example.com/ws-stomp')  // or build it from location.protocol"],
    },
  },
  // /info is redirected to /login, whose answer has no CORS headers: a CORS error (B9).
  "split-info-redirect": {
    must: {
      opened: false,
      infoStatus: null,
      browserError:
        "Access to XMLHttpRequest at 'https://api.app.test/ws-stomp/info?t=<n>' from origin 'https://www.app.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      failedRequests: ["GET https://api.app.test/ws-stomp/info?t=<n> net::ERR_FAILED"],
    },
    diagnosis: {
      bug: "B9",
      why: "The API's auth filter wants a Bearer header, which SockJS's /info request cannot send: it is redirected to /login, whose answer has no CORS headers, so the browser reports a CORS error.",
      fix: [
        "let the SockJS endpoint (/ws-stomp/**) through the auth filter and authenticate the STOMP CONNECT instead",
        "add_header Access-Control-Allow-Origin $http_origin always;  # only for an allow-listed origin",
      ],
    },
  },
  // Firefox reports the 302 itself (BiDi shows the redirect's response), then fails the followed request on CORS
  // (NS_ERROR_DOM_BAD_URI) where Chromium fails /info with no response: the same refusal (measured, Firefox 159).
  "split-info-redirect@firefox": {
    must: {
      opened: false,
      infoStatus: 302,
      failedRequests: [
        "GET https://api.app.test/ws-stomp/info?t=<n> NS_ERROR_DOM_BAD_URI",
        "GET https://api.app.test/login NS_ERROR_UNEXPECTED",
      ],
    },
    diagnosis: {
      bug: "B9",
      why: "The API's auth filter wants a Bearer header, which SockJS's /info request cannot send: it is redirected to /login, whose answer has no CORS headers, so the browser refuses it (Firefox: NS_ERROR_DOM_BAD_URI).",
      fix: [
        "let the SockJS endpoint (/ws-stomp/**) through the auth filter and authenticate the STOMP CONNECT instead",
        "add_header Access-Control-Allow-Origin $http_origin always;  # only for an allow-listed origin",
      ],
    },
  },
  "split-sse-header-auth": healthySockJs,
};

export const sseRows: Rows<"split-sse"> = {
  "split-fixed": healthySse,
  "split-upload-limit": healthySse,
  "split-sockjs-relative": healthySse,
  // The EventSource to http:// is blocked as mixed content (B8).
  "split-mixed-content": {
    must: { opened: false, events: 0, browserError: MIXED_CONTENT("sse") },
    diagnosis: B8_DIAGNOSIS,
  },
  // upgrade-insecure-requests upgrades the EventSource's URL: SSE works.
  "split-mixed-content-csp": healthySse,
  "split-info-redirect": healthySse,
  // The filter ends the request with 200, no Content-Type, no body; Chromium takes it for text/plain (B10).
  "split-sse-header-auth": {
    must: {
      opened: false,
      events: 0,
      errorReadyState: 2,
      streamStatus: 200,
      browserError: `EventSource's response has a MIME type ("text/plain") that is not "text/event-stream". Aborting the connection.`,
    },
    diagnosis: {
      bug: "B10",
      why: "EventSource cannot send an Authorization header: the auth filter rejects the stream and, ending the request without a status or body, leaves a 200 with no Content-Type, which the browser refuses as text/plain.",
      fix: [
        "authenticate SSE by cookie (new EventSource(url, { withCredentials: true })) or a short-lived ?token= in the URL",
        "or let the SSE URL through the header filter (docs/field-reports.md, B10: permitAll for it)",
      ],
    },
  },
};

// A 2 MiB upload from the front end to the API (B19 across origins): nginx's 1m default answers 413 before the app
// sees a byte, and its error page has no CORS headers, so the page reads no status, only the browser's CORS error.
export const healthyUpload: Healthy<"split-upload"> = {
  must: { uploadStatus: 200, uploadBytes: 2 * 1024 * 1024, browserError: null, pageErrors: [] },
};
const UPLOAD_413: Rows<"split-upload">[keyof Rows<"split-upload">] = {
  must: {
    tokenStatus: 200,
    uploadStatus: null,
    uploadBytes: null,
    wireStatus: 413,
    firstFailingBytes: 2 * 1024 * 1024,
    browserError:
      "Access to fetch at 'https://api.app.test/api/files' from origin 'https://www.app.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    pageErrors: ["upload: TypeError: Failed to fetch"],
  },
  diagnosis: {
    bug: "B19",
    why: "nginx refuses the 2 MiB body with 413 (client_max_body_size is 1m by default), and its error page carries no CORS headers: the front end reads no status, only a CORS error.",
    fix: ["client_max_body_size 50m;  # in the API's server block"],
  },
};
export const uploadRows: Rows<"split-upload"> = {
  "split-fixed": healthyUpload,
  "split-sockjs-relative": healthyUpload,
  // The token and the upload to http:// are blocked as mixed content before any proxy sees them (B8).
  "split-mixed-content": {
    must: { tokenStatus: null, uploadStatus: null, wireStatus: null, browserError: MIXED_CONTENT("upload") },
    diagnosis: B8_DIAGNOSIS,
  },
  // upgrade-insecure-requests sends both to https, where they work.
  "split-mixed-content-csp": healthyUpload,
  "split-info-redirect": healthyUpload,
  "split-sse-header-auth": healthyUpload,
  "split-upload-limit": UPLOAD_413,
};
