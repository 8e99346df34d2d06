import type { TransportFamily } from "../observations";

// sockjs-client's transports by family (lib/transport-list.js).
const FAMILY: Record<string, TransportFamily> = {
  websocket: "websocket",
  "xhr-streaming": "streaming",
  "xdr-streaming": "streaming",
  eventsource: "streaming",
  htmlfile: "streaming",
  // The same transports run in an iframe on the server's origin (sockjs-client's iframe-wrap).
  "iframe-eventsource": "streaming",
  "iframe-htmlfile": "streaming",
  "xhr-polling": "polling",
  "xdr-polling": "polling",
  "iframe-xhr-polling": "polling",
  "jsonp-polling": "polling",
};

/** The family of a SockJS transport name, or null for none (not connected) or a name SockJS does not have. */
export const familyOf = (transport: string | null): TransportFamily | null =>
  transport === null ? null : (FAMILY[transport] ?? null);
