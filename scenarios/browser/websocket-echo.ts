import type { Page } from "@playwright/test";
import { ECHO_TIMEOUT_MS } from "../timing";

export interface EchoResult {
  opened: boolean;
  echoed: boolean;
  /** The close event's code (1000 after the echo; 1006 for a failed handshake), or null if none came in time. */
  closeCode: number | null;
}

/** A plain `new WebSocket(url)` in the page: opens, sends one message, waits for it back, closes. */
export function echoOnce(page: Page, url: string): Promise<EchoResult> {
  return page.evaluate(
    ([u, timeoutMs]) =>
      new Promise<EchoResult>((resolve) => {
        const state: EchoResult = { opened: false, echoed: false, closeCode: null };
        const ws = new WebSocket(u);
        const timer = setTimeout(() => resolve(state), timeoutMs);
        ws.onopen = () => {
          state.opened = true;
          ws.send("proxylab-echo");
        };
        ws.onmessage = (e) => {
          state.echoed = e.data === "proxylab-echo";
          ws.close(1000, "done");
        };
        ws.onclose = (e) => {
          clearTimeout(timer);
          state.closeCode = e.code;
          resolve(state);
        };
      }),
    [url, ECHO_TIMEOUT_MS] as const,
  );
}
