import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["sockjs-replicas"];

// Two app replicas (app-1, app-2). A WebSocket is one request, so any balancer keeps its session whole; the
// xhr-streaming fallback holds one POST open and sends each message in another, and only the replica that
// opened the session knows it (sockjs-node answers another's xhr_send with 404).
const WEBSOCKET_WHOLE: Partial<O> = {
  websocketTransport: "websocket",
  websocketDelivered: true,
  websocketSpread: false,
  websocketFailed: [],
  fallbackTransport: "xhr-streaming",
};

const AFFINITY: Expectation<O> = {
  must: { ...WEBSOCKET_WHOLE, fallbackDelivered: true, fallbackSpread: false, fallbackFailed: [] },
};

/** Round-robin: the fallback's POSTs go to each replica in turn, and the one that never opened the session says 404. */
const spread = (why: string, fix: readonly string[]): Expectation<O> => ({
  must: {
    ...WEBSOCKET_WHOLE,
    fallbackDelivered: false,
    fallbackSpread: true,
    fallbackFailed: ["POST /ws-stomp/<server>/<session>/xhr_send 404"],
  },
  diagnosis: { bug: "B20", why, fix },
});

// What any config in front of one app or several must show: every session whole, and delivered.
export const healthy: Healthy<"sockjs-replicas"> = {
  must: {
    websocketDelivered: true,
    websocketSpread: false,
    fallbackDelivered: true,
    fallbackSpread: false,
    fallbackFailed: [],
  },
};

export const rows: Rows<"sockjs-replicas"> = {
  "replicas-round-robin": spread(
    "nginx's upstream balances each request round-robin: the fallback's xhr_send POSTs reach the replica that never opened the session.",
    ["ip_hash;  # in upstream {}, or: hash $remote_addr consistent;"],
  ),
  "replicas-ip-hash": AFFINITY,
  "apache-replicas-balancer": spread(
    "mod_proxy_balancer (lbmethod=byrequests) balances each request: the fallback's xhr_send POSTs reach the replica that never opened the session.",
    [
      'Header add Set-Cookie "ROUTEID=.%{BALANCER_WORKER_ROUTE}e; path=/" env=BALANCER_ROUTE_CHANGED',
      "BalancerMember <its URL> route=1  # route=2, 3… on the others",
      "ProxySet stickysession=ROUTEID",
    ],
  ),
  "apache-replicas-sticky": AFFINITY,
  "haproxy-replicas-round-robin": spread(
    "balance roundrobin sends each request to the next server: the fallback's xhr_send POSTs reach the replica that never opened the session.",
    ["balance source  # or: cookie SERVERID insert indirect nocache, and cookie <name> on each server"],
  ),
  "haproxy-replicas-source": AFFINITY,
  "caddy-replicas-round-robin": spread(
    "lb_policy round_robin sends each request to the next upstream: the fallback's xhr_send POSTs reach the replica that never opened the session.",
    ["lb_policy ip_hash  # or: lb_policy cookie"],
  ),
  "caddy-replicas-ip-hash": AFFINITY,
};
