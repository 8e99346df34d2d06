/**
 * The pages that take times (the SSE lab, the chat) share one clock: a 10 ms tick that keeps the page awake and
 * remembers its largest gap. Why: on the 2-core reference VM an idle page now and then dispatched an event
 * 100-800 ms after it arrived (missing-upgrade, x-accel: 1 of 15 over G/2; SockJS's /info once took 194 ms,
 * so every fallback timeout grew with it); with the tick, 30 of 30 were under 16 ms. The largest gap is what a
 * measurement can carry of the page's own delay: `pageClock.maxLagMs()`, reset with `pageClock.reset()`.
 */
export function pageClockScript(): string {
  return `<script>
window.pageClock = (function () {
  var now = function () { return performance.timeOrigin + performance.now(); };
  var lag = { maxMs: 0, last: now() };
  setInterval(function () { var t = now(); lag.maxMs = Math.max(lag.maxMs, t - lag.last); lag.last = t; }, 10);
  return {
    maxLagMs: function () { return Math.round(lag.maxMs); },
    reset: function () { lag.maxMs = 0; lag.last = now(); }
  };
})();
</script>`;
}
