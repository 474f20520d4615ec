// Technical operations board (10 s): golden signals, agent heatmap, resource gauges. (R-MON-3)
import * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import * as table from "@grafana/grafana-foundation-sdk/table";
import { BoardContext, DashboardSpec, board, instant, q, resourceSteps, spec, thresholds } from "./common";

/** Technical operations board (10 s): golden signals, agent heatmap, resource gauges. */
export function operations({ cfg, ns, s, g, w }: BoardContext): DashboardSpec {
  const golden: Array<[string, string]> = [
    ["p95 latency (s)", s.quantile("0.95", w)],
    ["p99 latency (s)", s.quantile("0.99", w)],
    ["requests/s", s.requests(w)],
    ["error rate", s.errorRatio(w)],
    ["errors (1h)", `sum(increase(http_requests_total{${ns},code=~"5.."}[1h]))`],
    ["CPU of limit", s.cpu(w)],
    ["memory of limit", s.memory],
  ];
  let ops = new table.PanelBuilder()
    .title("Golden signals")
    .description("p95 and p99 latency, request rate, error rate and count, CPU and memory saturation.")
    .span(24)
    .height(8);
  golden.forEach(([legend, expr], i) => {
    ops = ops.withTarget(instant(expr, String.fromCharCode(65 + i)).legendFormat(legend));
  });
  const resourceGauge = (title: string, expr: string) =>
    new gauge.PanelBuilder()
      .title(title)
      .withTarget(q(expr))
      .unit("percent")
      .min(0)
      .max(100)
      .thresholds(thresholds(resourceSteps(g)))
      .span(8)
      .height(6);
  return spec(
    board(cfg, "technical-operations", `Agent platform (${cfg.environment}) · Technical operations`, g.refresh.technicalOperations.text, ["operations"])
      .withPanel(ops)
      .withPanel(
        new heatmap.PanelBuilder()
          .title("Agent status heatmap")
          .description("Active agents per pod over time (optimal 10-15, warning above 20).")
          .withTarget(q(`sum by (pod) (agents_active{${ns}})`, "{{pod}}"))
          .span(24)
          .height(8),
      )
      .withPanel(resourceGauge("CPU", `100 * ${s.cpu(w)}`))
      .withPanel(resourceGauge("Memory", `100 * ${s.memory}`))
      .withPanel(
        resourceGauge("Disk", `100 * ${s.disk}`),
      ),
  );
}
