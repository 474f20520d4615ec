// The OpenTelemetry Collector (R-OBS-1..5), two releases of the opentelemetry-collector
// chart (open-telemetry/opentelemetry-helm-charts, values.yaml at the pinned version):
//   - the agent, a DaemonSet in its own privileged namespace: reads the platform pods'
//     log files (presets.logsCollection: the file_log receiver on /var/log/pods), adds the
//     pod's Kubernetes attributes, parses JSON lines and their level, redacts secrets,
//     sends the records to Loki's OTLP endpoint and counts the patterns the log alerts
//     watch (count connector → prometheus exporter, scraped through a PodMonitor);
//   - the gateway, a Deployment at `restricted`: the OTLP endpoint of the platform pods,
//     redaction, tail sampling (prod), traces to Tempo; and the platform namespace's
//     Kubernetes events (k8sobjects receiver, one watcher) to Loki.
// Chart defaults we do not want are removed with null (Helm deletes a key set to null
// when the chart is installed directly, as here; the Kubernetes provider passes nulls
// through from 4.30.0 on: docs/cluster.md). Component names are the collector's
// current ones (file_log, k8s_attributes; the chart's deprecatedComponentRenames in
// templates/_helpers.tpl): the presets define them so, and the chart's rewrite of the old
// names is to be removed.
import type { StackConfig } from "../../config/schema";
import { containerResources } from "../format";
import { LOG_METRICS, OBS, gatewayAddress, lokiAddress, tempoAddress } from "./names";
import { redactionStatements } from "./redaction";
import { RESTRICTED_CONTAINER, RESTRICTED_POD } from "./stores";

export type CollectorArgs = Pick<StackConfig, "namespace" | "observability" | "monitoring">;

/** The contrib distribution: filelog, k8sattributes, k8sobjects, transform, tail_sampling and the count connector are in it. */
const IMAGE = { repository: "otel/opentelemetry-collector-contrib" };


/** The chart's default receivers and pipelines that neither collector uses. */
const UNUSED = { receivers: { jaeger: null, zipkin: null, prometheus: null }, pipelines: { metrics: null } };
const CLOSED_PORTS = { "jaeger-compact": { enabled: false }, "jaeger-thrift": { enabled: false }, "jaeger-grpc": { enabled: false }, zipkin: { enabled: false } };

/** Severity from the JSON `level` (pino's numbers or words, winston's words). */
const LEVELS: Array<[string, string[]]> = [
  ["FATAL", ["fatal", "60"]],
  ["ERROR", ["error", "50"]],
  ["WARN", ["warn", "warning", "40"]],
  ["INFO", ["info", "30"]],
  ["DEBUG", ["debug", "20", "trace", "10"]],
];

export const sendingQueue = (cfg: CollectorArgs) => ({ sending_queue: { enabled: true, queue_size: cfg.observability.collector.queueSize }, retry_on_failure: { enabled: true } });

/** The log patterns the log-based alerts count (R-OBS-2), as count-connector conditions (OTTL, log context). */
export function logCounters(cfg: CollectorArgs): Record<string, { description: string; conditions: string[] }> {
  const inNs = `resource.attributes["k8s.namespace.name"] == "${cfg.namespace}"`;
  const name = (prom: string) => prom.replace(/_total$/, "").replace(/^agent_platform_log_/, "agent_platform.log.");
  return {
    [name(LOG_METRICS.records)]: { description: "The platform's log records.", conditions: [inNs] },
    [name(LOG_METRICS.errors)]: { description: "The platform's log records at level error or fatal.", conditions: [`${inNs} and severity_number >= SEVERITY_NUMBER_ERROR`] },
    [name(LOG_METRICS.fatal)]: {
      description: "Fatal records and unhandled errors (an uncaught exception or rejection).",
      conditions: [`${inNs} and (severity_number >= SEVERITY_NUMBER_FATAL or IsMatch(body, "(uncaughtException|unhandledRejection|UnhandledPromiseRejection)"))`],
    },
    [name(LOG_METRICS.authFailures)]: {
      description: "Authentication failures: refused logins, API keys and tokens.",
      conditions: [`${inNs} and IsMatch(body, "(?i)(authentication failed|invalid (api key|token|credentials)|jwt (expired|malformed)|unauthorized)")`],
    },
    [name(LOG_METRICS.dbConnectionErrors)]: {
      description: "Database connection errors: refused, timed out, dropped, too many clients, bad credentials.",
      conditions: [`${inNs} and IsMatch(body, "(?i)(ECONNREFUSED|ETIMEDOUT|connection terminated|too many clients|password authentication failed|could not connect to (the )?(server|database)|Connection terminated unexpectedly)")`],
    },
  };
}

/** The agent's release values: pod logs of the platform namespace to Loki, with counts. */
export function agentValues(cfg: CollectorArgs) {
  const o = cfg.observability;
  const redact = redactionStatements();
  const severity = LEVELS.map(([sev, words]) => `set(severity_number, SEVERITY_NUMBER_${sev}) where severity_number == SEVERITY_NUMBER_UNSPECIFIED and (${words.map((w) => `String(attributes["level"]) == "${w}"`).join(" or ")})`);
  return {
    mode: "daemonset",
    fullnameOverride: OBS.agentRelease,
    image: IMAGE,
    presets: { logsCollection: { enabled: true, includeCollectorLogs: false, storeCheckpoints: true }, kubernetesAttributes: { enabled: true } },
    config: {
      receivers: { ...UNUSED.receivers, otlp: null },
      processors: {
        // Only the platform's pods (the agent reads every pod log file on its node).
        "filter/platform": { error_mode: "ignore", logs: { log_record: [`resource.attributes["k8s.namespace.name"] != "${cfg.namespace}"`] } },
        "transform/parse": {
          error_mode: "ignore",
          log_statements: [{ context: "log", statements: [`merge_maps(attributes, ParseJSON(body), "upsert") where IsMatch(body, "^\\\\s*\\\\{")`, ...severity] }],
        },
        "transform/redact": { error_mode: "ignore", log_statements: [{ context: "log", statements: redact.logs }] },
      },
      connectors: { count: { logs: logCounters(cfg) } },
      exporters: {
        "otlphttp/loki": { endpoint: `${lokiAddress(o.namespace)}/otlp`, ...sendingQueue(cfg) },
        prometheus: { endpoint: `\${env:MY_POD_IP}:${OBS.logMetrics}` },
      },
      service: {
        pipelines: {
          ...UNUSED.pipelines,
          traces: null,
          logs: { receivers: ["file_log"], processors: ["memory_limiter", "k8s_attributes", "filter/platform", "transform/parse", "transform/redact", "batch"], exporters: ["otlphttp/loki", "count"] },
          "metrics/logs": { receivers: ["count"], processors: ["batch"], exporters: ["prometheus"] },
        },
      },
    },
    ports: {
      otlp: { enabled: false },
      "otlp-http": { enabled: false },
      ...CLOSED_PORTS,
      metrics: { enabled: true },
      "log-metrics": { enabled: true, containerPort: OBS.logMetrics, servicePort: OBS.logMetrics, protocol: "TCP" },
    },
    podMonitor: { enabled: true, metricsEndpoints: [{ port: "metrics" }, { port: "log-metrics" }], extraLabels: { release: cfg.monitoring.releaseName } },
    resources: containerResources(o.collector.agentResources),
    // Reading other pods' log files from the host takes root (kubelet writes them 0640
    // root:root); nothing else is granted: no capabilities, no escalation.
    podSecurityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: RESTRICTED_CONTAINER,
  };
}

/** The tail-sampling policies (prod): every error, every slow trace, `ratio` of the rest. */
export function tailSampling(cfg: CollectorArgs) {
  const s = cfg.observability.traces.sampling;
  return {
    decision_wait: s.decisionWait.text,
    policies: [
      { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
      { name: "slow", type: "latency", latency: { threshold_ms: Math.round(s.slowThreshold.seconds * 1000) } },
      { name: "baseline", type: "probabilistic", probabilistic: { sampling_percentage: s.ratio * 100 } },
    ],
  };
}

/** The gateway's release values: OTLP in, redacted and sampled traces to Tempo; the namespace's events to Loki. */
export function gatewayValues(cfg: CollectorArgs) {
  const o = cfg.observability;
  const tail = o.traces.sampling.mode === "tail";
  const redact = redactionStatements();
  return {
    mode: "deployment",
    fullnameOverride: OBS.gatewayRelease,
    image: IMAGE,
    // Tail sampling needs every span of a trace in one collector: one replica (a second
    // one needs the loadbalancing exporter tier in front; docs/observability.md).
    replicaCount: 1,
    presets: { kubernetesAttributes: { enabled: true } },
    config: {
      receivers: {
        ...UNUSED.receivers,
        otlp: { protocols: { grpc: { endpoint: `\${env:MY_POD_IP}:${OBS.otlpGrpc}` }, http: { endpoint: `\${env:MY_POD_IP}:${OBS.otlpHttp}` } } },
        k8sobjects: { objects: [{ name: "events", mode: "watch", namespaces: [cfg.namespace] }] },
      },
      processors: {
        "transform/redact": { error_mode: "ignore", trace_statements: [{ context: "span", statements: redact.spans }] },
        ...(tail ? { tail_sampling: tailSampling(cfg) } : {}),
      },
      exporters: {
        "otlp/tempo": { endpoint: `${tempoAddress(o.namespace)}:${OBS.otlpGrpc}`, tls: { insecure: true }, ...sendingQueue(cfg) },
        "otlphttp/loki": { endpoint: `${lokiAddress(o.namespace)}/otlp`, ...sendingQueue(cfg) },
      },
      service: {
        pipelines: {
          ...UNUSED.pipelines,
          traces: { receivers: ["otlp"], processors: ["memory_limiter", "k8s_attributes", "transform/redact", ...(tail ? ["tail_sampling"] : []), "batch"], exporters: ["otlp/tempo"] },
          logs: { receivers: ["k8sobjects"], processors: ["memory_limiter", "batch"], exporters: ["otlphttp/loki"] },
        },
      },
    },
    ports: { ...CLOSED_PORTS, metrics: { enabled: true } },
    podMonitor: { enabled: true, metricsEndpoints: [{ port: "metrics" }], extraLabels: { release: cfg.monitoring.releaseName } },
    resources: containerResources(o.collector.gatewayResources),
    podSecurityContext: RESTRICTED_POD,
    securityContext: RESTRICTED_CONTAINER,
  };
}

/** What the platform pods are told (ConfigMap): where to send traces and how many to keep (R-OBS-3). */
export function otelSettings(cfg: Pick<StackConfig, "environment" | "observability">): Record<string, string> {
  const o = cfg.observability;
  if (!o.install) return { OTEL_SDK_DISABLED: "true" };
  const s = o.traces.sampling;
  // ratio: the SDK keeps a share by trace ID; all and tail: the SDK keeps every trace
  // (tail: the gateway decides once the trace is complete).
  const sampler: Record<string, string> = s.mode === "ratio" ? { OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: String(s.ratio) } : { OTEL_TRACES_SAMPLER: "parentbased_always_on" };
  return {
    OTEL_SERVICE_NAME: "agent-platform",
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://${gatewayAddress(o.namespace)}:${OBS.otlpGrpc}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
    OTEL_RESOURCE_ATTRIBUTES: `deployment.environment.name=${cfg.environment}`,
    ...sampler,
    LOG_FORMAT: "json",
  };
}
