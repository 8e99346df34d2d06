import http from "node:http";
import type { AddressInfo } from "node:net";
import { router, type Routes } from "../src/shared/http";

/** Serves routes on an ephemeral loopback port for one test file; nothing leaves 127.0.0.1. */
export async function serveOnLoopback(routes: Routes): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(router(routes));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
