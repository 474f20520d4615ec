// The logs-and-traces part of the render (R-OBS): each collector's configuration as its
// chart receives it (the presets' receivers and processors are added by the chart), and a
// summary of retention, storage and sampling for the reader of a preview.
import { stringify } from "yaml";
import type { StackConfig } from "../components/config";
import { agentValues, gatewayValues, uptimeDetectionSeconds } from "../components/model/observability";

export function observabilityFiles(cfg: StackConfig): Record<string, string> {
  if (!cfg.observability.install) return {};
  const note = "# The collector's `config` values; the chart adds what its presets bring (file_log, k8s_attributes).\n";
  return {
    "observability/otel-agent.yaml": note + stringify(agentValues(cfg).config, { lineWidth: 0 }),
    "observability/otel-gateway.yaml": note + stringify(gatewayValues(cfg).config, { lineWidth: 0 }),
  };
}

export function observabilitySummary(cfg: StackConfig): string {
  const o = cfg.observability;
  if (!o.install) return "Logs and traces: not installed (observability.install = false); the platform's OpenTelemetry SDK is off";
  const s = o.traces.sampling;
  const sampling =
    s.mode === "all"
      ? "every trace"
      : s.mode === "ratio"
        ? `${s.ratio * 100} % of traces, by trace ID in the SDK`
        : `tail-based in the gateway: every error, every trace over ${s.slowThreshold.text}, ${s.ratio * 100} % of the rest (decided after ${s.decisionWait.text})`;
  const where = (storage: string, what: string) => (storage === "s3" ? `S3 (bucket agent-platform-${cfg.environment}-${what}-…, SSE-KMS, IRSA role for that bucket only)` : "a volume in the cluster");
  return [
    `Logs and traces (R-OBS): OpenTelemetry Collector ${o.charts.collector} (agent in ${o.agentNamespace}, privileged with its reason; gateway in ${o.namespace}), Loki ${o.charts.loki}, Tempo ${o.charts.tempo}`,
    `  logs: the platform pods' output and ${cfg.namespace}'s events, JSON parsed, secrets redacted; kept ${o.logs.retentionDays} d on ${where(o.logs.storage, "loki")}`,
    `  traces: OTLP at otel-gateway.${o.namespace}:4317; ${sampling}; kept ${o.traces.retentionDays} d on ${where(o.traces.storage, "tempo")}`,
    o.uptime.enabled
      ? `  uptime (R-OBS-6): Route 53 checks ${o.uptime.url} from ${o.uptime.regions.join(", ")} every ${o.uptime.requestInterval}s; ${o.uptime.failureThreshold} failures in a row, then a CloudWatch alarm (us-east-1) pages the P0 service through SNS within ${uptimeDetectionSeconds(cfg)}s`
      : "  uptime (R-OBS-6): no outside-in check in this environment (observability.uptime.enabled = false)",
    `  Grafana: Loki and Tempo linked (log → trace, trace → logs and metrics), exemplars on latency panels; log-based and pipeline alerts in agent-platform.observability`,
  ].join("\n");
}
