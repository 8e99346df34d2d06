import { test } from "./fixtures/test";
import type { ClientAddressObservation } from "./observations";

// Field report B22: behind a load balancer, the app sees the balancer as every client.

/** Whose address one is, by the stack's own addresses: the edge's, the config's proxy's, or the browser's. */
function whose(
  address: string | null,
  stack: { browser: string; edgeIp: string | undefined; proxyIp: string },
): ClientAddressObservation["whose"] {
  if (address === null) return null;
  if (address === stack.browser) return "browser";
  if (address === stack.edgeIp) return "edge";
  return address === stack.proxyIp ? "proxy" : "other";
}

test("client-address: the address the app takes for the client, against the browser's", async ({
  page,
  stack,
  expectObserved,
}) => {
  // The browser's address as the first hop sees it: Docker's port publishing hands the stack every connection from
  // this machine through its network's gateway (the stock edge's own X-Forwarded-For entry names it).
  const browser = stack.subnet.replace(/\.0\/24$/, ".1");
  await page.goto(`${stack.base}/healthz`);
  const seen: { status: number; body: Record<string, string | null> } = await page.evaluate(async (url) => {
    const r = await fetch(url, { cache: "no-store" });
    return { status: r.status, body: r.ok ? ((await r.json()) as Record<string, string | null>) : {} };
  }, `${stack.base}/client-address`);
  const clientAddress = seen.body.clientAddress ?? null;
  await expectObserved("client-address", {
    status: seen.status,
    clientAddress,
    xRealIp: seen.body.xRealIp ?? null,
    xForwardedFor: seen.body.xForwardedFor ?? null,
    peer: seen.body.peer ?? null,
    browserAddress: browser,
    whose: whose(clientAddress, { browser, edgeIp: stack.edge?.ip, proxyIp: stack.proxyIp }),
  });
});
