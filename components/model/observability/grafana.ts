// Grafana's view of logs and traces (R-OBS-1, R-OBS-3): Loki and Tempo as datasources of
// the existing Grafana (kube-prometheus-stack's grafana.additionalDataSources), linked both
// ways: a log line's trace_id opens its trace, a span opens its logs (tracesToLogsV2) and
// its service's request metrics (tracesToMetrics), and a latency panel's exemplar opens the
// trace behind it (the Prometheus datasource's exemplarTraceIdDestinations). Field names
// per Grafana's provisioning docs for the Loki and Tempo datasources.
import type { StackConfig } from "../../config/schema";
import { OBS, lokiAddress, tempoAddress } from "./names";

const SHIFT = { spanStartTimeShift: "-5m", spanEndTimeShift: "5m" };

/** The kube-prometheus-stack `grafana` values that add Loki and Tempo and the links. */
export function telemetryGrafanaValues(cfg: Pick<StackConfig, "observability">) {
  const ns = cfg.observability.namespace;
  const { loki, tempo, prometheus } = OBS.uids;
  return {
    additionalDataSources: [
      {
        name: "Loki",
        type: "loki",
        uid: loki,
        access: "proxy",
        url: lokiAddress(ns),
        jsonData: {
          // The trace ID the SDK writes into every JSON log line (and OTLP's trace_id).
          derivedFields: [{ name: "TraceID", matcherType: "regex", matcherRegex: '"trace_id":"(\\w+)"', datasourceUid: tempo, url: "$${__value.raw}", urlDisplayLabel: "Open the trace" }],
        },
      },
      {
        name: "Tempo",
        type: "tempo",
        uid: tempo,
        access: "proxy",
        url: `http://${tempoAddress(ns)}:${OBS.tempoPort}`,
        jsonData: {
          tracesToLogsV2: { datasourceUid: loki, filterByTraceID: true, filterBySpanID: false, ...SHIFT, tags: [{ key: "k8s.namespace.name", value: "k8s_namespace_name" }] },
          tracesToMetrics: {
            datasourceUid: prometheus,
            ...SHIFT,
            queries: [
              { name: "Request rate", query: "sum(rate(http_requests_total{$$__tags}[5m]))" },
              { name: "p99 latency", query: "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{$$__tags}[5m])))" },
            ],
          },
          serviceMap: { datasourceUid: prometheus },
          nodeGraph: { enabled: true },
          lokiSearch: { datasourceUid: loki },
        },
      },
    ],
    exemplarTraceIdDestinations: { datasourceUid: tempo, traceIdLabelName: "trace_id", urlDisplayLabel: "Open the trace" },
  };
}
