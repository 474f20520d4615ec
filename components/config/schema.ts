// The stack configuration schema (zod). One schema describes the *resolved* config:
// the environment profile with the stack file merged over it. Every field carries a
// description; the configuration reference in README.md is generated from it
// (`npm run docs:config`) and a test fails when the two drift apart.
import { z } from "zod";
import { ENVIRONMENTS, STRATEGIES, THRESHOLD_SETS } from "../model/profiles";
import { DURATION_HELP, QUANTITY_HELP, isQuantity, parseDuration } from "../model/units";
import { SecretValue } from "./secret";

/** The Pulumi project name; every key of ours is `agent-platform:<key>`. */
export const PROJECT = "agent-platform";

const quantity = (description: string) =>
  z
    .preprocess((v) => (typeof v === "number" ? String(v) : v), z.string())
    .refine(isQuantity, { message: `must be ${QUANTITY_HELP}` })
    .describe(description);

const duration = (description: string) =>
  z
    .string()
    .refine((d) => parseDuration(d) !== undefined, { message: `must be ${DURATION_HELP}` })
    .describe(description);

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
    message: "must be a DNS label: lower-case letters, digits and '-', at most 63 characters",
  });

const cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, { message: "must be an IPv4 CIDR such as 10.0.0.0/8" });

const port = z.number().int().min(1).max(65535);
const percent = z.number().int().min(1).max(100);

// An image reference with an explicit tag or digest; `latest` and untagged images are
// refused because they make a rollout unrepeatable.
const image = z
  .string()
  .regex(/^[a-z0-9]+([._\-/:][a-z0-9]+)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/i, {
    message: "must be an image reference such as registry/agent-platform:1.4.2 or …@sha256:<digest>",
  })
  .refine((ref) => /@sha256:/.test(ref) || /:[\w][\w.-]*$/.test(ref.split("/").pop() ?? ""), {
    message: "must name a tag or a digest (an untagged image means :latest)",
  })
  .refine((ref) => !/:latest(@|$)/.test(ref), { message: "must not use the mutable tag 'latest'" });

const ratio = z.number().gt(0).lt(1);

const chartVersion = z.string().regex(/^\d+\.\d+\.\d+$/, { message: "must be an exact chart version such as 1.2.3" });

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
      path: z.string().regex(/^\//, { message: "must be a path starting with '/'" }),
      interval: duration("Probe interval."),
      timeout: duration("Probe timeout; not longer than the interval."),
    })
    .describe(description);

const secret = (description: string) => z.instanceof(SecretValue).describe(`(secret) ${description}`);

export const stackConfigSchema = z.strictObject({
  environment: z
    .enum(ENVIRONMENTS)
    .describe("Environment profile this stack extends: dev, staging or prod (R-ENV-10)."),
  namespace: dnsLabel.describe("Kubernetes namespace of the platform (default agent-platform-<environment>)."),
  image: image.describe("Platform container image, pinned by tag or digest; never `latest`."),
  replicas: z
    .number()
    .int()
    .min(1)
    .max(100)
    .describe("Pod replicas when autoscaling is off (R-ENV-1)."),
  resources: z
    .strictObject({
      requests: z.strictObject({
        cpu: quantity("CPU request per pod (R-ENV-3)."),
        memory: quantity("Memory request per pod (R-ENV-4)."),
      }),
      limits: z.strictObject({
        cpu: quantity("CPU limit per pod; not below the request."),
        memory: quantity("Memory limit per pod; not below the request."),
      }),
    })
    .describe("Container requests and limits."),
  autoscaling: z
    .strictObject({
      enabled: z.boolean().describe("Declare an autoscaling/v2 HPA (R-ENV-2)."),
      minReplicas: z.number().int().min(1).max(100).describe("HPA lower bound."),
      maxReplicas: z.number().int().min(1).max(100).describe("HPA upper bound; not below minReplicas."),
      targetCpuUtilization: percent.describe("Average CPU utilisation target, % of request."),
      targetMemoryUtilization: percent.describe("Average memory utilisation target, % of request."),
      scaleDownStabilization: duration("HPA scale-down stabilisation window (R-WL-5)."),
    })
    .describe("Horizontal pod autoscaling."),
  logLevel: z.enum(["debug", "info", "warn", "error"]).describe("Application log level (R-ENV-5)."),
  observability: z
    .strictObject({
      tracing: z.enum(["off", "basic", "detailed", "comprehensive"]).describe("Tracing depth (R-ENV-6)."),
      profiling: z.boolean().describe("Continuous profiling on (R-ENV-6)."),
      slaMonitoring: z.boolean().describe("SLA monitoring on (R-ENV-6)."),
    })
    .describe("Tracing and profiling."),
  alerting: z
    .strictObject({
      paging: z.boolean().describe("Page on-call through PagerDuty for P0/P1 alerts; off: the Slack incident channel only (R-ENV-7)."),
      thresholds: z
        .enum(THRESHOLD_SETS)
        .describe("Alert threshold set: strict (the R-AL table), relaxed (wider margins), informational (relaxed, nothing above P3) (R-ENV-7)."),
      evaluationInterval: duration("Evaluation interval of the platform's rule groups."),
      minRequestRate: z.number().min(0).describe("Requests/s below which error-ratio and SLO alerts stay silent."),
      minTaskRate: z.number().min(0).describe("Tasks/s below which task-ratio alerts stay silent."),
      slo: z
        .strictObject({
          availability: ratio.describe("Availability SLO (share of non-5xx requests), e.g. 0.999 (R-AL-19)."),
          latency: ratio.describe("Latency SLO (share of requests faster than the threshold) (R-AL-19)."),
          latencyThresholdSeconds: z
            .number()
            .gt(0)
            .describe("Latency SLO threshold; must be a bucket boundary (`le`) of http_request_duration_seconds."),
        })
        .describe("Service level objectives."),
      runbookBaseUrl: z.string().url().describe("Base URL of docs/runbooks as on-call browses it; every alert links <base>/<Alert>.md."),
      receivers: z
        .strictObject({
          slackChannel: z.string().regex(/^#[\w-]+$/, { message: "must be a Slack channel such as #alerts" }).describe("Slack channel for P2."),
          slackIncidentChannel: z
            .string()
            .regex(/^#[\w-]+$/, { message: "must be a Slack channel such as #incident" })
            .describe("Slack incident channel for P0/P1."),
          emailTo: z.string().email().describe("E-mail recipient for P2."),
          emailFrom: z.string().email().describe("Sender address of Alertmanager mail."),
          smarthost: z
            .string()
            .regex(/^[\w.-]+:\d+$/, { message: "must be host:port such as smtp.example.com:587" })
            .describe("SMTP relay host:port."),
        })
        .describe("Non-secret receiver settings; keys and URLs are secrets (pagerdutyRoutingKey, slackWebhookUrl, ticketWebhookUrl, watchdogUrl)."),
    })
    .describe("Alerting posture, SLOs and receivers."),
  monitoring: z
    .strictObject({
      install: z.boolean().describe("Install kube-prometheus-stack in this cluster; false where a platform team runs it (R-MON-1)."),
      releaseName: dnsLabel.describe("Helm release name of kube-prometheus-stack (its Services are named after it)."),
      chartVersion: chartVersion.describe("Pinned kube-prometheus-stack chart version."),
      installBlackboxExporter: z.boolean().describe("Install the blackbox exporter for synthetic probes (R-MON-2)."),
      blackboxChartVersion: chartVersion.describe("Pinned prometheus-blackbox-exporter chart version."),
      selectorLabels: z
        .record(z.string(), z.string())
        .describe("Labels on our ServiceMonitor, Probes and PrometheusRule so an existing Prometheus's selectors pick them up."),
      prometheus: sizing("Prometheus")
        .extend({
          retention: z
            .string()
            .regex(/^\d+(h|d|w|y)$/, { message: "must be a Prometheus retention such as 12h, 7d, 4w or 1y" })
            .describe("How long Prometheus keeps samples."),
          retentionSize: z
            .string()
            .regex(/^\d+(B|KB|MB|GB|TB)$/, { message: "must be a size such as 40GB" })
            .describe("Size cap of the TSDB; keep it below the volume size."),
        })
        .describe("Prometheus sizing and retention."),
      alertmanager: sizing("Alertmanager").describe("Alertmanager sizing."),
      grafana: z.strictObject({ storage: quantity("Grafana volume size.") }).describe("Grafana."),
      probes: z
        .strictObject({
          basic: probeLayer("Basic health probe (R-MON-2: /health every 30s, timeout 5s)."),
          functional: probeLayer("Functional probe (every 2m, timeout 30s)."),
          integration: probeLayer("Integration probe (every 5m, timeout 60s)."),
        })
        .describe("Synthetic probe layers run by the blackbox exporter."),
    })
    .describe("Monitoring stack."),
  externalServices: z
    .enum(["mocked", "real"])
    .describe("Whether external services (model APIs, webhooks) may be mocked; only dev may mock (R-ENV-8)."),
  app: z
    .strictObject({
      port: port.describe("Container port of the API, health and metrics (R-ENV-9)."),
      apiPrefix: z
        .string()
        .regex(/^\/[\w\-/]*$/, { message: "must be a path starting with '/'" })
        .describe("API path prefix (R-ENV-9)."),
      rateLimitPerMinute: z.number().int().min(1).describe("API rate limit, requests per minute (R-ENV-9)."),
    })
    .describe("Application settings delivered as a ConfigMap."),
  probes: z
    .strictObject({
      healthPath: z
        .string()
        .regex(/^\//, { message: "must be a path starting with '/'" })
        .describe("Health endpoint path (R-WL-1)."),
      livenessPeriod: duration("Liveness probe period (R-WL-1)."),
      livenessTimeout: duration("Liveness probe timeout (R-WL-1)."),
      livenessFailureThreshold: z.number().int().min(1).max(10).describe("Liveness failures before restart."),
      readinessPeriod: duration("Readiness probe period."),
      startupBudget: duration("Time a pod has to become healthy after start (startup probe)."),
    })
    .describe("Health probes."),
  shutdown: z
    .strictObject({
      preStopDelay: duration("Delay before SIGTERM so endpoints drain (R-WL-4)."),
      terminationGracePeriod: duration("Time for in-flight agent tasks to finish after SIGTERM (R-WL-4)."),
    })
    .describe("Graceful shutdown."),
  volumes: z
    .strictObject({
      logsSizeLimit: quantity("Size limit of the writable logs emptyDir (R-WL-3)."),
      uploadsSizeLimit: quantity("Size limit of the writable uploads emptyDir (R-WL-3)."),
      tmpSizeLimit: quantity("Size limit of the writable /tmp emptyDir."),
    })
    .describe("Writable scratch volumes."),
  topology: z
    .strictObject({
      zoneSpread: z.enum(["required", "preferred"]).describe("Spread across zones: hard or soft (R-WL-5)."),
      nodeSpread: z.enum(["required", "preferred"]).describe("Spread across nodes: hard or soft (R-WL-5)."),
    })
    .describe("Topology spread."),
  network: z
    .strictObject({
      ingressNamespaces: z
        .array(dnsLabel)
        .min(1)
        .describe("Namespaces whose pods (gateway, ingress) may reach the API port (R-WL-7)."),
      monitoringNamespace: dnsLabel.describe("Namespace of Prometheus, allowed to scrape /metrics."),
      databaseCidrs: z.array(cidr).min(1).describe("Where the memory-store database lives (egress allowed)."),
      databasePort: port.describe("Database port."),
      egress: z
        .array(
          z.strictObject({
            cidr,
            except: z.array(cidr),
            ports: z.array(port).min(1),
          }),
        )
        .describe("Further declared egress, e.g. HTTPS to model APIs."),
    })
    .describe("NetworkPolicy inputs."),
  delivery: z
    .strictObject({
      strategy: z
        .enum(STRATEGIES)
        .describe("Delivery strategy, stated in every stack file: rolling (Deployment), blueGreen or canary (Argo Rollouts) (R-PD-9)."),
      installController: z.boolean().describe("Install the Argo Rollouts controller (argo-helm chart); false where the platform team runs it."),
      controllerNamespace: dnsLabel.describe("Namespace of the Argo Rollouts controller."),
      controllerChartVersion: z
        .string()
        .regex(/^\d+\.\d+\.\d+$/, { message: "must be an exact chart version such as 2.40.5" })
        .describe("Pinned argo-rollouts chart version."),
      trafficRouter: z
        .enum(["gatewayApi", "none"])
        .describe("Canary traffic router: Gateway API HTTPRoute via the Argo Rollouts plugin, or none (replica ratios)."),
      gatewayPluginUrl: z.string().url().describe("Download URL of the Gateway API traffic-router plugin (pinned release)."),
      gateway: z
        .strictObject({
          name: dnsLabel.describe("Gateway the HTTPRoute attaches to."),
          namespace: dnsLabel.describe("Namespace of that Gateway."),
          hostnames: z.array(z.string().min(1)).describe("Hostnames of the HTTPRoute (empty: the Gateway's)."),
        })
        .describe("Gateway API parent."),
      prometheusAddress: z.string().url().describe("Prometheus the analyses query."),
      scrapeInterval: duration("Scrape interval of the platform's metrics (used for worst-case rollback times)."),
      analysisInterval: duration("Measurement interval of the canary stage analyses."),
      minCanaryRequestRate: z
        .number()
        .min(0)
        .describe("Requests/s the canary needs before a measurement counts; below it the analysis is inconclusive and the rollout pauses."),
      trafficShiftBudget: duration("Time the router takes to move traffic back to stable (≤ 30s, R-PD-4)."),
      rollbackVerification: duration("How long stable is verified after a rollback (R-PD-4)."),
      canarySteps: z
        .array(
          z.strictObject({
            weight: z.number().int().min(1).max(99).describe("Canary traffic, %."),
            duration: duration("Stage length."),
            maxErrorRate: z.number().gt(0).lt(1).describe("Stage error-rate ceiling (ratio)."),
            latencyQuantile: z.enum(["p95", "p99"]).describe("Latency quantile checked."),
            maxLatencyMs: z.number().int().min(1).describe("Latency ceiling, ms."),
          }),
        )
        .min(1)
        .describe("Canary stages with their success criteria (R-PD-2, R-PD-3)."),
      rollback: z
        .strictObject({
          errorRate: z.number().gt(0).lt(1).describe("Error rate that aborts at once (R-PD-4)."),
          errorRateInterval: duration("Measurement interval of the error-rate trigger."),
          p99Ms: z.number().int().min(1).describe("p99 latency that aborts after the debounce (R-PD-4)."),
          p99Interval: duration("Measurement interval of the p99 trigger."),
          p99FailureLimit: z.number().int().min(0).max(10).describe("Bad p99 measurements tolerated before abort (debounce)."),
          memoryRatio: z.number().gt(0).lte(1).describe("Memory/limit ratio that aborts (R-PD-5)."),
          memoryFor: duration("How long memory must stay above the ratio."),
          agentSpawnFailureRatio: z.number().gt(0).lte(1).describe("Agent-spawn failure ratio that aborts (R-PD-5)."),
          agentSpawnFor: duration("How long spawn failures must stay above the ratio."),
        })
        .describe("Background rollback triggers."),
      blueGreen: z
        .strictObject({
          scaleDownDelay: duration("How long the old colour stays up after promotion, for an instant switch back (R-PD-1)."),
          autoPromotion: z.boolean().describe("Promote automatically once pre-promotion analysis passes."),
        })
        .describe("Blue/green."),
      migration: z
        .strictObject({
          enabled: z.boolean().describe("Run database migrations before traffic moves (R-PD-7)."),
          command: z.array(z.string().min(1)).min(1).describe("Forward migration command in the platform image."),
          rollbackCommand: z.array(z.string().min(1)).min(1).describe("Backward migration command (documented rollback path)."),
          timeout: duration("Migration Job deadline."),
        })
        .describe("Database migration Job."),
    })
    .describe("Progressive delivery."),
  featureFlags: z
    .array(
      z.strictObject({
        key: z.string().regex(/^[a-z][a-z0-9_.-]{0,62}$/, { message: "must be a lower-case flag key such as new-planner" }),
        enabled: z.boolean(),
        percentage: z.number().int().min(0).max(100),
        userTargeting: z.array(z.string().min(1)),
        environmentRestrictions: z.array(z.enum(ENVIRONMENTS)),
      }),
    )
    .describe("Feature flags delivered as a mounted file; changing them starts no rollout (R-PD-8)."),
  kubeconfig: secret("Kubeconfig for the target cluster; the ambient context when absent.").optional(),
  kubeContext: z.string().min(1).describe("Context inside the kubeconfig to use.").optional(),
  databaseUrl: secret("PostgreSQL connection URL of the memory store (R-WL-8)."),
  llmApiKey: secret("API key for the hosted model provider.").optional(),
  pagerdutyRoutingKey: secret("PagerDuty Events v2 routing key; required when alerting.paging is on and monitoring.install.").optional(),
  slackWebhookUrl: secret("Slack incoming-webhook URL; required when monitoring.install.").optional(),
  ticketWebhookUrl: secret("Ticketing webhook URL for P3; required when monitoring.install.").optional(),
  watchdogUrl: secret("Dead-man's-switch URL the always-firing Watchdog is sent to; required when monitoring.install.").optional(),
  smtpPassword: secret("SMTP password of the mail relay (optional: relays that allow the cluster without auth).").optional(),
});

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type StackConfigInput = z.input<typeof stackConfigSchema>;

/** Keys whose values must be Pulumi secrets (`pulumi config set --secret`). */
export const SECRET_KEYS = [
  "kubeconfig",
  "databaseUrl",
  "llmApiKey",
  "pagerdutyRoutingKey",
  "slackWebhookUrl",
  "ticketWebhookUrl",
  "watchdogUrl",
  "smtpPassword",
] as const;

/** Secrets the Alertmanager receivers need, given the resolved alerting and monitoring settings. */
export function receiverSecretKeys(s: { alerting: { paging: boolean }; monitoring: { install: boolean } }): string[] {
  if (!s.monitoring.install) return [];
  return [...(s.alerting.paging ? ["pagerdutyRoutingKey"] : []), "slackWebhookUrl", "ticketWebhookUrl", "watchdogUrl"];
}

/** Keys a stack must set itself: no profile can know them. */
export const REQUIRED_KEYS = ["environment", "image", "databaseUrl"] as const;
