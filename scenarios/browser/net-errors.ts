/**
 * A request the page itself ended (an EventSource or xhr_streaming it closed once done): not a failure. Each engine
 * has its own word for it: Chromium's net::ERR_ABORTED, Firefox's NS_BINDING_ABORTED (measured over BiDi).
 */
export function isAborted(errorText: string | undefined): boolean {
  return errorText === "net::ERR_ABORTED" || errorText === "NS_BINDING_ABORTED";
}
