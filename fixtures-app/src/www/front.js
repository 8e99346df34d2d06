// The split-origin front end: served by the proxy from www.app.test, it calls the API on api.app.test the
// way the variant's frontend.js says (window.PROXYLAB_FRONTEND). One feature per page load, picked by
// ?run=rest|sockjs|sse|upload; what happened goes to window.split for the harness, errors as the browser gave them.
(function () {
  var cfg = window.PROXYLAB_FRONTEND;
  var run = new URLSearchParams(location.search).get("run") || "rest";
  var out = {
    run: run,
    api: cfg.api,
    token: null,
    rest: null,
    sockjs: null,
    sse: null,
    upload: null,
    errors: [],
    done: false,
  };
  window.split = out;
  var finish = function () {
    out.done = true;
    document.getElementById("out").textContent = JSON.stringify(out, null, 2);
  };
  var fail = function (where, err) {
    out.errors.push(where + ": " + (err && err.name ? err.name + ": " + err.message : String(err)));
  };
  var withTimeout = function (ms, start) {
    return new Promise(function (resolve) {
      var t = setTimeout(function () {
        resolve("timeout");
      }, ms);
      start(function (v) {
        clearTimeout(t);
        resolve(v);
      });
    });
  };

  var getToken = function () {
    return fetch(cfg.api + "/api/token", { method: "POST", credentials: "include" }).then(
      function (r) {
        out.token = { status: r.status };
        return r.json().then(function (j) {
          return j.token;
        });
      },
      function (e) {
        out.token = { status: null };
        fail("token", e);
        return null;
      },
    );
  };

  var rest = function (token) {
    return fetch(cfg.api + "/api/me", { headers: { Authorization: "Bearer " + token }, credentials: "include" }).then(
      function (r) {
        out.rest = { status: r.status };
      },
      function (e) {
        out.rest = { status: null };
        fail("rest", e);
      },
    );
  };

  var sockjs = function (token) {
    var url = cfg.sockjs(cfg.api, token);
    out.sockjs = { url: url, opened: false, transport: null, closeCode: null, closeReason: null };
    return withTimeout(10000, function (done) {
      var sock;
      try {
        sock = new SockJS(url);
      } catch (e) {
        fail("sockjs", e);
        return done("threw");
      }
      sock.onopen = function () {
        out.sockjs.opened = true;
        out.sockjs.transport = sock.transport;
        sock.close();
      };
      sock.onclose = function (ev) {
        out.sockjs.closeCode = ev.code;
        out.sockjs.closeReason = ev.reason;
        done("closed");
      };
    });
  };

  var sse = function (token) {
    var url = cfg.sse(cfg.api, token);
    out.sse = { url: url, opened: false, events: 0, errorReadyState: null };
    return withTimeout(5000, function (done) {
      var es;
      try {
        es = new EventSource(url, { withCredentials: true });
      } catch (e) {
        fail("sse", e);
        return done("threw");
      }
      es.onopen = function () {
        out.sse.opened = true;
      };
      es.onmessage = function () {
        out.sse.events++;
        if (out.sse.events >= 2) {
          es.close();
          done("events");
        }
      };
      // A fatal error (wrong MIME type, or a failed CORS check) leaves readyState CLOSED (2): no reconnect.
      es.onerror = function () {
        out.sse.errorReadyState = es.readyState;
        if (es.readyState === 2) done("failed");
      };
    });
  };

  // Two MiB as a text/plain body: a simple request (no preflight), with the API's session cookie.
  var upload = function () {
    var body = new Blob([new Uint8Array(2 * 1024 * 1024).fill(97)], { type: "text/plain" });
    return fetch(cfg.api + "/api/files", { method: "POST", body: body, credentials: "include" }).then(
      function (r) {
        out.upload = { status: r.status, bytes: null };
        return r.json().then(function (j) {
          out.upload.bytes = j.bytes;
        });
      },
      function (e) {
        out.upload = { status: null, bytes: null };
        fail("upload", e);
      },
    );
  };

  getToken()
    .then(function (token) {
      if (run === "rest") return token === null ? null : rest(token);
      if (run === "sockjs") return sockjs(token);
      if (run === "sse") return sse(token);
      if (run === "upload") return upload();
    })
    .catch(function (e) {
      fail(run, e);
    })
    .then(finish);
})();
