// R-PD-2's own canary stages (1 % → 5 % → 50 %, 10/20/30 min), as a stack file would state
// them: the profile uses 10 % → 25 % → 50 % (docs/delivery.md says why).
export const RPD2 = [
  { weight: 1, duration: "10m", maxErrorRate: 0.02, latencyQuantile: "p95", maxLatencyMs: 500 },
  { weight: 5, duration: "20m", maxErrorRate: 0.015, latencyQuantile: "p99", maxLatencyMs: 1000 },
  { weight: 50, duration: "30m", maxErrorRate: 0.015, latencyQuantile: "p99", maxLatencyMs: 1000 },
];
