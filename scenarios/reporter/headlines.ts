/**
 * The few observed figures a matrix cell shows per scenario: the symptom itself, as a number or a name.
 * The whole observation is in the test's observation.json.
 */
const FIELDS: Record<string, readonly string[]> = {
  "random-uuid": ["protocol", "isSecureContext", "randomUUIDType"],
  "oauth-login": ["outcome", "finalStatus", "providerReceivedRedirectUri"],
  "form-redirect": ["postStatus", "location", "ended"],
  "sockjs-chat": [
    "transport",
    "websocketHandshakeStatus",
    "connectRequests",
    "idleRequests",
    "openMs",
    "rtoMs",
    "maxDeliveryMs",
    "closeCodes",
  ],
  "websocket-raw": ["handshakeStatus", "closeCode", "echoed"],
  "big-headers": ["firstFailingResponseBytes", "responseFailStatus", "firstFailingRequestBytes", "requestFailStatus"],
  "upload-limit": ["firstFailingBytes", "failStatus", "streamedUpload"],
  "websocket-origin": ["rawHandshakeStatus", "sockjsHandshakeStatus", "sockjsTransport", "rejectedHost"],
  "sse-timing": ["verdict", "maxLatencyMs", "arrivalSpreadMs", "sendSpreadMs"],
  "sse-timing-x-accel": ["verdict", "maxLatencyMs", "arrivalSpreadMs", "sendSpreadMs"],
  "sse-open-latency": ["openMs", "openMsWithOpeningComment", "pageProtocol"],
  "sse-connection-limit": ["pageProtocol", "streamsWithFirstEvent", "streams", "fetchCompleted", "fetchMs"],
  "sse-client-abort": ["abortNoticedMs", "writesAfterAbort", "writeErrors"],
  "sse-wrong-mime": ["status", "contentType", "readyState", "attempts"],
  "sse-idle-resume": ["quietReconnects", "quietResumedFrom", "quietExactlyOnce", "heartbeatReconnects"],
};

export function headlineFields(scenario: string): readonly string[] {
  return FIELDS[scenario] ?? [];
}

function show(field: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number" && /Ms$/.test(field)) return `${Math.round(value)} ms`;
  if (Array.isArray(value)) return `[${value.map((v) => String(v)).join(", ")}]`;
  return String(value);
}

/** [label, shown value] pairs; fields the observation does not carry are left out. */
export function headline(scenario: string, observation: Record<string, unknown>): Array<[string, string]> {
  return headlineFields(scenario)
    .filter((f) => f in observation)
    .map((f) => [f, show(f, observation[f])]);
}
