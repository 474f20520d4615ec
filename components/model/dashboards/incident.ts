// Incident response board (5 s): active alerts, events timeline, performance impact with alert annotations. (R-MON-3)
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { BoardContext, DATASOURCE, DashboardSpec, board, instant, q, spec } from "./common";

/** Incident response board (5 s): active alerts, events timeline, performance impact with alert annotations. */
export function incident({ cfg, ns, s, g, w }: BoardContext): DashboardSpec {
  const alertsAnnotation = new dashboard.AnnotationQueryBuilder()
    .name("Firing alerts")
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor("red")
    .expr(`ALERTS{${ns},alertstate="firing"}`)
    .titleFormat("{{alertname}}")
    .textFormat("{{severity}} {{priority}} {{service}}")
    .step(cfg.alerting.evaluationInterval.text);
  return spec(
    board(cfg, "incident-response", `Agent platform (${cfg.environment}) · Incident response`, g.refresh.incidentResponse.text, ["incident"])
      .annotation(alertsAnnotation)
      .withPanel(
        new table.PanelBuilder()
          .title("Active alerts")
          .description("Firing alerts: severity, component (service), message (alert name) and how long they have been active (s).")
          .withTarget(instant(`max by (alertname, severity, priority, service) (ALERTS{${ns},alertstate="firing"})`, "A"))
          .withTarget(
            instant(`max by (alertname, severity, priority, service) (time() - ALERTS_FOR_STATE{${ns}})`, "B").legendFormat(
              "duration",
            ),
          )
          .span(24)
          .height(8),
      )
      .withPanel(
        new statetimeline.PanelBuilder()
          .title("Events timeline (4h)")
          .withTarget(q(`max by (alertname, severity) (ALERTS{${ns},alertstate="firing"})`, "{{alertname}} ({{severity}})"))
          .timeFrom("4h")
          .span(24)
          .height(8),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Performance impact")
          .description("Latency and error rate with firing alerts as annotations.")
          // R-OBS-3: the requests behind the latency as exemplars (their trace IDs open Tempo).
          .withTarget(q(s.quantile("0.95", w), "p95 (s)", "A").exemplar(true))
          .withTarget(q(s.quantile("0.99", w), "p99 (s)", "B").exemplar(true))
          .withTarget(q(s.errorRatio(w), "error ratio", "C"))
          .span(24)
          .height(8),
      ),
  );
}
