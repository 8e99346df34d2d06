import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["client-address"];

const THE_BROWSER: Expectation<O> = { must: { status: 200, whose: "browser" } };

export const healthy: Healthy<"client-address"> = THE_BROWSER;

export const rows: Rows<"client-address"> = {
  // X-Real-IP $remote_addr is the edge's address: nginx was not told to trust the edge's X-Forwarded-For (B22).
  "edge-scheme-overwrite": {
    must: { status: 200, whose: "edge" },
    diagnosis: {
      bug: "B22",
      why: "The app takes X-Real-IP for the client's address, and nginx sets it to $remote_addr: the edge's address, since nothing tells nginx to trust the edge's X-Forwarded-For.",
      fix: ["set_real_ip_from 10.0.0.0/8;  # the edge's network", "real_ip_header X-Forwarded-For;"],
    },
  },
  // set_real_ip_from + real_ip_header: $remote_addr is the address the edge appended, the browser's.
  "edge-fixed": THE_BROWSER,
  // The inner trusts the edge (set_real_ip_from) but reads X-Real-IP, which the edge does not send (B22).
  "chain-nginx-nginx": {
    must: { status: 200, whose: "edge" },
    diagnosis: {
      bug: "B22",
      why: "The hop behind the edge trusts it (set_real_ip_from) but takes the client's address from X-Real-IP, nginx's default real_ip_header, which the edge does not send: X-Real-IP $remote_addr is the edge's address.",
      fix: ["real_ip_header X-Forwarded-For;"],
    },
  },
  // real_ip_header X-Forwarded-For: $remote_addr is the address the edge forwarded.
  "chain-nginx-nginx-fixed": THE_BROWSER,
};
