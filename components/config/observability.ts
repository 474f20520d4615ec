// The observability part of the configuration schema (R-ENV-6, R-OBS-1..5): what the
// application does (tracing depth, profiling, SLA monitoring) and the logs-and-traces
// stack beside the metrics: an OpenTelemetry Collector agent per node (pod logs), a
// gateway (traces, tail sampling, the namespace's events), Loki and Tempo.
import { z } from "zod";
import { chartVersion, text, containerResources, dnsLabel, duration, httpUrl, quantity } from "./fields";

const days = (description: string) => z.number().int().min(1).max(3650).describe(description);
const storage = (what: string) =>
  z
    .enum(["volume", "s3"])
    .describe(`Where ${what} are stored: a volume in the cluster (dev), or S3 under the stack's KMS key through an IRSA role scoped to its prefix (staging, prod).`);

export const SAMPLING_MODES = ["all", "ratio", "tail"] as const;

export const observabilitySchema = z
  .strictObject({
    tracing: z.enum(["off", "basic", "detailed", "comprehensive"]).describe("Tracing depth the application records (R-ENV-6)."),
    profiling: z.boolean().describe("Continuous profiling on (R-ENV-6)."),
    slaMonitoring: z.boolean().describe("SLA monitoring on (R-ENV-6)."),
    install: z.boolean().describe("Deploy the logs-and-traces stack (R-OBS-1..5): collector agent and gateway, Loki, Tempo; needs monitoring.install for Grafana and alerting."),
    namespace: dnsLabel.describe("Namespace of the gateway, Loki and Tempo (PSA restricted)."),
    agentNamespace: dnsLabel.describe("Namespace of the node-level log agent alone: it reads /var/log/pods from the host (PSA privileged, with the reason stated)."),
    charts: z
      .strictObject({
        collector: chartVersion.describe("Pinned opentelemetry-collector chart version (open-telemetry/opentelemetry-helm-charts)."),
        loki: chartVersion.describe("Pinned loki chart version (grafana-community/helm-charts)."),
        tempo: chartVersion.describe("Pinned tempo chart version (grafana-community/helm-charts)."),
      })
      .describe("Chart versions, checked against each chart's values.yaml (docs/observability.md)."),
    logs: z
      .strictObject({
        retentionDays: days("Days Loki keeps logs (R-OBS-1: dev 3, staging 7, prod 30)."),
        storage: storage("logs"),
        volumeSize: quantity("Loki's volume (its write-ahead log and index cache; all logs when storage is volume)."),
      })
      .describe("Log storage (R-OBS-1)."),
    traces: z
      .strictObject({
        retentionDays: days("Days Tempo keeps traces (R-OBS-3)."),
        storage: storage("traces"),
        volumeSize: quantity("Tempo's volume (its write-ahead log; all traces when storage is volume)."),
        sampling: z
          .strictObject({
            mode: z
              .enum(SAMPLING_MODES)
              .describe("all: every trace (dev); ratio: the SDK keeps `ratio` of traces by trace ID (staging); tail: the gateway keeps every error, every trace slower than slowThreshold and `ratio` of the rest (prod)."),
            ratio: z.number().gt(0).max(1).describe("Share of traces kept (ratio), or of ordinary traces beside errors and slow ones (tail)."),
            slowThreshold: duration("A trace at least this long is slow: tail sampling keeps it.", { min: 0.001, consumer: "the tail_sampling processor's latency policy" }),
            decisionWait: duration("How long the gateway holds a trace's spans before deciding (tail).", { min: 1, wholeSeconds: true, consumer: "the tail_sampling processor's decision_wait" }),
          })
          .describe("Trace sampling (R-OBS-3)."),
      })
      .describe("Trace storage and sampling (R-OBS-3)."),
    collector: z
      .strictObject({
        agentResources: containerResources("the log agent (one per node)"),
        gatewayResources: containerResources("the trace gateway"),
        queueSize: z.number().int().min(100).max(1_000_000).describe("Batches each exporter queues while its backend is unreachable; the pipeline alerts watch how full it is."),
      })
      .describe("The OpenTelemetry Collector (R-OBS-1, R-OBS-3, R-OBS-4)."),
    storeResources: containerResources("Loki and Tempo (each)"),
    uptime: z
      .strictObject({
        enabled: z.boolean().describe("Check the public endpoint from outside the cluster (Route 53 health checks), alarmed in CloudWatch and paged like the in-cluster basic probe (R-OBS-6)."),
        url: httpUrl("The public health URL checked from outside, e.g. https://agents.example.com/health; required when enabled.", { https: true }).optional(),
        requestInterval: z.union([z.literal(10), z.literal(30)]).describe("Seconds between one checker's requests: 10 or 30 (the values Route 53 takes)."),
        failureThreshold: z.number().int().min(1).max(10).describe("Consecutive failures before a checker calls the endpoint unhealthy (Route 53 takes 1 to 10)."),
        regions: z
          .array(text("an AWS region such as us-east-1"))
          .min(3)
          .describe("Regions Route 53 checks from (at least 3; the endpoint is unhealthy when more than 18 % of checkers say so)."),
      })
      .describe("Outside-in uptime check of the public endpoint (R-OBS-6)."),
  })
  .describe("Tracing, profiling and the logs-and-traces stack (R-ENV-6, R-OBS).");
