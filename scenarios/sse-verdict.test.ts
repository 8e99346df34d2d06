import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyTimeline, isIsolatedLateEvent } from "./sse-verdict";

const G = 300;
const sends = [0, 1, 2, 3, 4, 5].map((i) => 1_000 + i * G);

describe("SSE timeline verdict", () => {
  it("streamed: every event arrives within G/2 of its send", () => {
    assert.equal(
      classifyTimeline(
        sends.map((s) => ({ sentAt: s, at: s + 20 })),
        6,
        G,
      ).verdict,
      "streamed",
    );
  });
  it("batched: all arrive together (spread < G/4) though sent over 5G", () => {
    const at = sends[5]! + 5;
    const figures = classifyTimeline(
      sends.map((s, i) => ({ sentAt: s, at: at + i })),
      6,
      G,
    );
    assert.equal(figures.verdict, "batched");
    assert.equal(figures.arrivalSpreadMs, 5);
    assert.equal(figures.sendSpreadMs, 5 * G);
  });
  it("anything else is reported as it is, not forced into either", () => {
    const late = classifyTimeline(
      sends.map((s) => ({ sentAt: s, at: s + G })),
      6,
      G,
    );
    assert.match(late.verdict, /^other: latencies 300,300/);
    assert.equal(classifyTimeline([], 6, G).verdict, "no-events");
    assert.equal(
      classifyTimeline(
        sends.slice(0, 2).map((s) => ({ sentAt: s, at: s })),
        6,
        G,
      ).verdict,
      "other: 2 of 6 events arrived",
    );
  });
  it("the median shows a delay added to every flush, not one late event", () => {
    const delayed = classifyTimeline(
      sends.map((s) => ({ sentAt: s, at: s + 200 })),
      6,
      G,
    );
    assert.equal(delayed.medianLatencyMs, 200);
    const oneLate = classifyTimeline(
      sends.map((s, i) => ({ sentAt: s, at: s + (i === 0 ? 140 : 4) })),
      6,
      G,
    );
    assert.equal(oneLate.medianLatencyMs, 4);
    assert.equal(oneLate.maxLatencyMs, 140);
  });

  it("one event alone late (G/2 to G) is an isolated stall, taken again; two late, or a batch, are not", () => {
    const timeline = (late: Record<number, number>) =>
      classifyTimeline(
        sends.map((s, i) => ({ sentAt: s, at: s + (late[i] ?? 4) })),
        6,
        G,
      );
    assert.equal(isIsolatedLateEvent(timeline({ 5: 0.7 * G }), 6, G), true);
    assert.equal(isIsolatedLateEvent(timeline({ 0: 0.7 * G, 3: 0.6 * G }), 6, G), false);
    assert.equal(isIsolatedLateEvent(timeline({ 2: 1.2 * G }), 6, G), false);
    assert.equal(isIsolatedLateEvent(timeline({}), 6, G), false);
    const batch = classifyTimeline(
      sends.map((s) => ({ sentAt: s, at: sends[5]! + 2 })),
      6,
      G,
    );
    assert.equal(batch.verdict, "batched");
    assert.equal(isIsolatedLateEvent(batch, 6, G), false);
  });
});
