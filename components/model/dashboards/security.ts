// Security monitoring board: authentication failures, rate limiting, client errors, restarts. (R-MON-3)
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { BoardContext, DashboardSpec, board, q, spec } from "./common";

/** Security monitoring board: authentication failures, rate limiting, client errors, restarts. */
export function security({ cfg, ns, s, g, w }: BoardContext): DashboardSpec {
  return spec(
    board(cfg, "security", `Agent platform (${cfg.environment}) · Security monitoring`, g.refresh.security.text, ["security"])
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Authentication failures (401/403)")
          .withTarget(q(`sum by (route, code) (rate(http_requests_total{${ns},code=~"401|403"}[${w}]))`, "{{route}} {{code}}"))
          .span(12)
          .height(8),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Rate-limited requests (429)")
          .withTarget(q(`sum by (route) (rate(http_requests_total{${ns},code="429"}[${w}]))`, "{{route}}"))
          .span(12)
          .height(8),
      )
      .withPanel(
        new stat.PanelBuilder()
          .title(`Client error ratio (4xx, ${w})`)
          .withTarget(q(`sum(rate(http_requests_total{${ns},code=~"4.."}[${w}])) / sum(rate(http_requests_total{${ns}}[${w}]))`))
          .unit("percentunit")
          .span(12)
          .height(6),
      )
      .withPanel(
        new stat.PanelBuilder()
          .title("Container restarts (1h)")
          .withTarget(q(`sum(increase(kube_pod_container_status_restarts_total{${ns}}[1h]))`))
          .span(12)
          .height(6),
      ),
  );
}
