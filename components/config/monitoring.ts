// The monitoring part of the configuration schema (R-MON-1..3): the charts, their
// per-environment sizing, Grafana's dashboards and the synthetic probe layers.
import { z } from "zod";
import { byteSize, chartVersion, cidr, containerResources, dnsLabel, duration, httpUrl, percent, quantity, ratio } from "./fields";

const sizing = (what: string) =>
  z.strictObject({
    replicas: z.number().int().min(1).max(10).describe(`${what} replicas.`),
    storage: quantity(`${what} volume size.`),
    resources: z.strictObject({
      requests: z.strictObject({ cpu: quantity(`${what} CPU request.`), memory: quantity(`${what} memory request.`) }),
      limits: z.strictObject({ cpu: quantity(`${what} CPU limit.`), memory: quantity(`${what} memory limit.`) }),
    }),
  });

const probeLayer = (description: string) =>
  z
    .strictObject({
      path: z.string().regex(/^\//, { message: "must be a path starting with '/'" }).describe("Path probed on the platform Service."),
      interval: duration("Probe interval.", { min: 1, consumer: "a Prometheus scrape interval" }),
      timeout: duration("Probe timeout; not longer than the interval.", { min: 1, consumer: "a Prometheus scrape timeout" }),
    })
    .describe(description);

export const monitoringSchema = z
  .strictObject({
    install: z.boolean().describe("Install kube-prometheus-stack in this cluster; false where a platform team runs it (R-MON-1)."),
    namespace: dnsLabel.describe("Namespace of Prometheus, Alertmanager and Grafana (created when install is on; PSA restricted)."),
    nodeExporterNamespace: dnsLabel.describe(
      "Namespace of node-exporter alone: the one namespace PSA lets run privileged pods (host network, PID and filesystem).",
    ),
    releaseName: dnsLabel.describe("Helm release name of kube-prometheus-stack; its Services are named after it."),
    chartVersion: chartVersion.describe("Pinned kube-prometheus-stack chart version."),
    scrapeInterval: duration("Scrape interval of the platform's metrics (rules, analyses and worst-case times use it).", {
      min: 1,
      consumer: "a Prometheus scrape interval",
    }),
    prometheusUrl: httpUrl("Prometheus the canary analyses query; derived from releaseName and namespace when unset.", {
      requirePort: true,
    }).optional(),
    installBlackboxExporter: z.boolean().describe("Install the blackbox exporter for synthetic probes (R-MON-2)."),
    blackboxChartVersion: chartVersion.describe("Pinned prometheus-blackbox-exporter chart version."),
    blackboxResources: containerResources("the blackbox exporter"),
    selectorLabels: z
      .record(z.string(), z.string())
      .describe("Labels on our ServiceMonitor, Probes and PrometheusRule so an existing Prometheus's selectors pick them up."),
    prometheus: sizing("Prometheus")
      .extend({
        retention: z
          .string()
          .regex(/^\d+(h|d|w|y)$/, { message: "must be a Prometheus retention such as 12h, 7d, 4w or 1y" })
          .describe("How long Prometheus keeps samples."),
        retentionSize: byteSize("Size cap of the TSDB; below the volume size."),
      })
      .describe("Prometheus sizing and retention."),
    alertmanager: sizing("Alertmanager")
      .extend({
        internalReceiverCidrs: z
          .array(cidr)
          .describe("Private ranges of receivers inside the network (a ticket system, an SMTP relay); the internet's are allowed already."),
      })
      .describe("Alertmanager sizing and the private ranges it may post to."),
    grafana: z
      .strictObject({
        storage: quantity("Grafana volume size."),
        rateWindow: duration("Range of every rate() and quantile on the dashboards (a fixed window, so promtool can check each query); at least two scrapes.", {
          min: 1,
          consumer: "a PromQL range",
        }),
        refresh: z
          .strictObject({
            executive: duration("Refresh of the executive dashboard (R-MON-3: 30 s).", { min: 1, consumer: "a Grafana refresh interval" }),
            technicalOperations: duration("Refresh of the technical operations dashboard (R-MON-3: 10 s).", { min: 1, consumer: "a Grafana refresh interval" }),
            incidentResponse: duration("Refresh of the incident response dashboard (R-MON-3: 5 s).", { min: 1, consumer: "a Grafana refresh interval" }),
            mcpServer: duration("Refresh of the MCP server status dashboard.", { min: 1, consumer: "a Grafana refresh interval" }),
            security: duration("Refresh of the security monitoring dashboard.", { min: 1, consumer: "a Grafana refresh interval" }),
          })
          .describe("Dashboard refresh intervals."),
        healthScore: z
          .strictObject({
            yellowFrom: percent.describe("Health score from which the executive stat turns yellow (below it: red; R-MON-3: 70)."),
            greenFrom: percent.describe("Health score from which it turns green; above yellowFrom (R-MON-3: 90)."),
          })
          .describe("Thresholds of the executive dashboard's system health score."),
        resourceGauges: z
          .strictObject({
            yellowFrom: percent.describe("Percent of the limit or capacity from which a resource gauge turns yellow (R-MON-3: 70)."),
            orangeFrom: percent.describe("From which it turns orange; above yellowFrom (R-MON-3: 85)."),
            redFrom: percent.describe("From which it turns red; above orangeFrom (R-MON-3: 95)."),
          })
          .describe("Thresholds of the CPU, memory and disk gauges."),
        mcpSuccess: z
          .strictObject({
            yellowFrom: ratio.describe("MCP success ratio from which the stat turns yellow (below it: red)."),
            greenFrom: ratio.describe("MCP success ratio from which it turns green; above yellowFrom."),
          })
          .describe("Thresholds of the MCP success ratio stat."),
        ingressNamespaces: z.array(dnsLabel).min(1).describe("Namespaces whose pods (the ingress path to Grafana) may reach Grafana's port."),
      })
      .describe("Grafana."),
    probes: z
      .strictObject({
        basic: probeLayer("Basic health probe (R-MON-2: /health every 30s, timeout 5s)."),
        functional: probeLayer("Functional probe (every 2m, timeout 30s)."),
        integration: probeLayer("Integration probe (every 5m, timeout 60s)."),
      })
      .describe("Synthetic probe layers run by the blackbox exporter."),
  })
  .describe("Monitoring stack.");
