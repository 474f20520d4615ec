// Cross-field rules of monitoring (R-MON-1..3): dashboard windows of two scrapes, colour
// steps that rise, probe timeouts within their interval, TSDB retention below its volume.
import type { StackConfig } from "../schema";
import { Ref, twoScrapes } from "./common";

/** Rules among the monitoring settings. */
export function monitoringProblems(cfg: StackConfig, ref: Ref): string[] {
  const p: string[] = [];
  p.push(...twoScrapes(cfg, ref, ["monitoring", "grafana", "rateWindow"], cfg.monitoring.grafana.rateWindow.seconds));
  const g = cfg.monitoring.grafana;
  for (const [group, steps] of [
    ["healthScore", ["yellowFrom", "greenFrom"]],
    ["resourceGauges", ["yellowFrom", "orangeFrom", "redFrom"]],
    ["mcpSuccess", ["yellowFrom", "greenFrom"]],
  ] as const) {
    const values = g[group] as Record<string, number>;
    steps.slice(1).forEach((step, i) => {
      if (values[step] <= values[steps[i]]) {
        p.push(`${ref(["monitoring", "grafana", group, step])}: must be above ${ref(["monitoring", "grafana", group, steps[i]])} (colours rise in order)`);
      }
    });
  }
  const m = cfg.monitoring;
  for (const [layer, probe] of Object.entries(m.probes)) {
    if (probe.timeout.seconds > probe.interval.seconds) {
      p.push(
        `${ref(["monitoring", "probes", layer, "timeout"])}: must not be longer than ${ref(["monitoring", "probes", layer, "interval"])} (Prometheus rejects a scrape timeout above its interval)`,
      );
    }
  }
  if (m.prometheus.retentionSize.bytes >= m.prometheus.storage.value) {
    p.push(
      `${ref(["monitoring", "prometheus", "retentionSize"])}: must be below ${ref(["monitoring", "prometheus", "storage"])}, or the volume fills before retention deletes anything`,
    );
  }
  return p;
}
