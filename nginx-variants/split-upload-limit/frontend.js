// The front end's config, as a user writes it: the API's origin (one proxy serves both names on 443),
// and every URL built from it. The event stream authenticates by query token (EventSource sends no headers).
window.PROXYLAB_FRONTEND = {
  api: "https://api.app.test",
  sockjs: function (api) { return api + "/ws-stomp"; },
  sse: function (api, token) { return api + "/api/events?token=" + token; },
};
