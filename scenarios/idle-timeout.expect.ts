import type { Healthy } from "./expectation";

// Quiet connections survive the config's idle timeout. A user's config only: its rows are the config itself.
export const healthy: Healthy<"idle-timeout"> = {
  must: { quietStreamCut: false, heartbeatStreamCut: false, quietSocketClosed: false },
};
