// Names and ports of the logs-and-traces stack (R-OBS): releases, Services and the
// metrics the collector derives from logs. The charts name their objects after the
// release (fullnameOverride pins it), so every address here follows from these.
export const OBS = {
  agentRelease: "otel-agent",
  gatewayRelease: "otel-gateway",
  lokiRelease: "loki",
  tempoRelease: "tempo",
  /** Loki's HTTP port (push, query, its OTLP endpoint under /otlp). */
  lokiPort: 3100,
  /**
   * Loki's memberlist (gossip) port: the chart's config always joins the ring through its
   * memberlist Service, which targets this container port (charts/loki 18.11.0,
   * templates/_pod.tpl `http-memberlist`, templates/service-memberlist.yaml).
   */
  lokiMemberlist: 7946,
  /** Tempo's query port, and its OTLP gRPC receiver. */
  tempoPort: 3200,
  otlpGrpc: 4317,
  otlpHttp: 4318,
  /** The collector's own metrics (service.telemetry) and the log-derived counters (prometheus exporter). */
  collectorMetrics: 8888,
  logMetrics: 8889,
  /** Grafana datasource uids the links between signals refer to. */
  uids: { loki: "loki", tempo: "tempo", prometheus: "prometheus" },
  /** Prefixes of the telemetry bucket, one per store. */
  prefixes: { logs: "loki", traces: "tempo" },
} as const;

/** The pods of the stack, by the label each chart sets. */
export const OBS_PODS = {
  agent: { "app.kubernetes.io/instance": OBS.agentRelease },
  gateway: { "app.kubernetes.io/instance": OBS.gatewayRelease },
  loki: { "app.kubernetes.io/instance": OBS.lokiRelease },
  tempo: { "app.kubernetes.io/instance": OBS.tempoRelease },
} as const;

/**
 * The counters the agent's count connector derives from the platform's log records,
 * as Prometheus sees them: the prometheus exporter turns dots into underscores and adds
 * `_total` to a monotonic sum (exporter/prometheusexporter, add_metric_suffixes).
 */
export const LOG_METRICS = {
  records: "agent_platform_log_records_total",
  errors: "agent_platform_log_errors_total",
  fatal: "agent_platform_log_fatal_total",
  authFailures: "agent_platform_log_auth_failures_total",
  dbConnectionErrors: "agent_platform_log_db_connection_errors_total",
} as const;

export const gatewayAddress = (namespace: string) => `${OBS.gatewayRelease}.${namespace}.svc.cluster.local`;
export const lokiAddress = (namespace: string) => `http://${OBS.lokiRelease}.${namespace}.svc.cluster.local:${OBS.lokiPort}`;
export const tempoAddress = (namespace: string) => `${OBS.tempoRelease}.${namespace}.svc.cluster.local`;
