// Executive board (30 s): health score, active swarms, task throughput, error-rate trend. (R-MON-3)
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { BoardContext, DashboardSpec, Step, board, healthSteps, q, spec, thresholds } from "./common";

/** Executive board (30 s): health score, active swarms, task throughput, error-rate trend. */
export function executive({ cfg, ns, s, g, w }: BoardContext): DashboardSpec {
  // The error-rate trend turns yellow and red where the HighErrorRate alerts fire.
  const errorRateSteps: Step[] = [{ value: null, color: "green" }];
  for (const [severity, color] of [["warning", "yellow"], ["critical", "red"]] as const) {
    const threshold = cfg.alerting.rules.errorRate[severity].threshold;
    if (threshold !== undefined) errorRateSteps.push({ value: threshold, color });
  }
  const healthScore =
    `100 * (1 - (${s.errorRatio("1h")}))` +
    ` * min(avg_over_time(probe_success{${ns}}[1h]))`;
  return spec(
    board(cfg, "executive", `Agent platform (${cfg.environment}) · Executive`, g.refresh.executive.text, ["executive"])
      .withPanel(
        new stat.PanelBuilder()
          .title("System health score")
          .description("100 × (1 − error ratio over 1h) × probe success over 1h. Red below 70, green from 90.")
          .withTarget(q(healthScore))
          .unit("none")
          .min(0)
          .max(100)
          .thresholds(thresholds(healthSteps(g)))
          .span(6)
          .height(6),
      )
      .withPanel(
        new stat.PanelBuilder()
          .title("Active swarms")
          .description("Agents currently active across the platform (agents_active), the swarm members of the metric contract.")
          .withTarget(q(`sum(agents_active{${ns}})`))
          .span(6)
          .height(6),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Task throughput (1h)")
          .description("Tasks completed vs failed over the last hour.")
          .withTarget(q(`sum(increase(tasks_total{${ns},status="completed"}[1h]))`, "completed", "A"))
          .withTarget(q(`sum(increase(tasks_total{${ns},status="failed"}[1h]))`, "failed", "B"))
          .span(12)
          .height(8),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Error-rate trend (24h)")
          .withTarget(q(s.errorRatio(w), "5xx ratio"))
          .timeFrom("24h")
          .unit("percentunit")
          .thresholds(thresholds(errorRateSteps))
          .span(24)
          .height(8),
      ),
  );
}
