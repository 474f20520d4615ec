// The stack configuration schema (zod): the only definition of the config shape. It
// describes the *resolved* config, the environment profile with the stack file merged
// over it; StackConfig and the profile types are inferred from it. Every field carries a
// description; the configuration reference in README.md is generated from it
// (`npm run docs:config`) and a test fails when the two drift apart.
import { z } from "zod";
import { PRESETS, PRIORITIES, rulesSchema, sloSchema } from "./alerting";
import { clusterSchema } from "./cluster";
import { awsSchema, backupsSchema, memoryStoreSchema, registrySchema } from "./data";
import { chartVersion, cidr, containerResources, dnsLabel, duration, httpUrl, image, byteSize, percent, port, quantity, ratio } from "./fields";
import { SecretValue } from "./secret";

/** The Pulumi project name; every key of ours is `agent-platform:<key>`. */
export const PROJECT = "agent-platform";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const STRATEGIES = ["rolling", "blueGreen", "canary"] as const;
export type Strategy = (typeof STRATEGIES)[number];

const wholeSeconds = (description: string, consumer: string, min = 1, max?: number) =>
  duration(description, { min, max, wholeSeconds: true, consumer });

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

const argoInterval = { min: 1, go: true, consumer: "an Argo Rollouts measurement interval: h, m, s" };

const secret = (description: string) => z.instanceof(SecretValue).describe(`(secret) ${description}`);

const slackChannel = (example: string) =>
  z.string().regex(/^#[\w-]+$/, { message: `must be a Slack channel such as ${example}` });

export const stackConfigSchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS).describe("Environment profile this stack extends: dev, staging or prod (R-ENV-10)."),
  namespace: dnsLabel.describe("Kubernetes namespace of the platform (default agent-platform-<environment>)."),
  image: image.describe("Platform container image (OCI reference), pinned by tag or digest; never `latest`."),
  replicas: z.number().int().min(1).max(100).describe("Pod replicas when autoscaling is off (R-ENV-1)."),
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
      scaleDownStabilization: wholeSeconds(
        "HPA scale-down stabilisation window (R-WL-5).",
        "the HPA's stabilizationWindowSeconds: whole seconds, 0s to 1h",
        0,
        3600,
      ),
      scaleDownPods: z.number().int().min(1).max(100).describe("Most pods the HPA removes per scaling period (R-WL-5: one a minute)."),
      scaleUpStabilization: wholeSeconds(
        "HPA scale-up stabilisation window; 0 scales up on the first high reading.",
        "the HPA's stabilizationWindowSeconds: whole seconds, 0s to 1h",
        0,
        3600,
      ),
      scaleUpPercent: z.number().int().min(1).max(1000).describe("Most the HPA adds per scaling period, as a percentage of the current pods (the larger of this and scaleUpPods applies)."),
      scaleUpPods: z.number().int().min(1).max(100).describe("Most pods the HPA adds per scaling period (the larger of this and scaleUpPercent applies)."),
      scalingPeriod: wholeSeconds("Period of the HPA's scale-up and scale-down policies.", "an HPA policy's periodSeconds: whole seconds, 1s to 30m", 1, 1800),
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
      preset: z
        .enum(PRESETS)
        .describe(
          "The rule set `rules` and `slo` start from: strict (the R-AL table), relaxed (wider margins), informational (relaxed, nothing above P3). Setting it in a stack file replaces the profile's rules before the stack's own overrides apply (R-ENV-7).",
        ),
      evaluationInterval: duration("Evaluation interval of the platform's rule groups.", { min: 1, wholeSeconds: true, consumer: "a Prometheus rule group interval" }),
      runbookBaseUrl: httpUrl("Base URL of docs/runbooks as on-call browses it; every alert links <base>/<Alert>.md."),
      guards: z
        .strictObject({
          requestsPerSecond: z.number().gt(0).describe("HTTP requests/s over a rule's window below which HTTP ratio alerts stay silent (R-AL-23)."),
          tasksPerSecond: z.number().gt(0).describe("Tasks/s below which task-ratio alerts stay silent (R-AL-23)."),
          agentSpawnsPerSecond: z.number().gt(0).describe("Agent spawns/s below which the spawn-failure alert stays silent (R-AL-23)."),
          swarmCoordinationsPerSecond: z.number().gt(0).describe("Swarm coordinations/s below which swarm-ratio alerts stay silent (R-AL-23)."),
        })
        .describe("Minimum-volume guards of the ratio alerts (R-AL-23)."),
      histograms: z
        .strictObject({
          requestDurationBuckets: z
            .array(z.number().gt(0))
            .min(2)
            .describe("Bucket bounds (`le`) the platform exposes for http_request_duration_seconds."),
          taskDurationBuckets: z.array(z.number().gt(0)).min(2).describe("Bucket bounds (`le`) of task_duration_seconds."),
        })
        .describe("Histogram buckets of the metric contract; latency thresholds are checked against them."),
      baselines: z
        .strictObject({
          trafficHistory: duration("History the request rate's z-score is taken against (R-AL-18).", { min: 3600, consumer: "at least 1h" }),
          trafficMinHistory: duration("History needed before a z-score is recorded at all.", { min: 60 }),
          trafficMinRelativeDeviation: z
            .number()
            .gt(0)
            .lt(1)
            .describe("Standard deviation, relative to the mean, below which the history counts as flat and no z-score is recorded (no division by ~0)."),
          memoryHistory: duration("History of the resident-memory median a pod is compared with (R-AL-11).", { min: 3600, consumer: "at least 1h" }),
        })
        .describe("Baselines of the anomaly and leak alerts."),
      slo: sloSchema,
      rules: rulesSchema,
      routing: z
        .strictObject(
          Object.fromEntries(
            PRIORITIES.map((p) => [
              p,
              z.strictObject({
                groupWait: duration(`How long Alertmanager waits to group a new ${p} alert.`, { min: 0 }),
                groupInterval: duration(`How often a changed ${p} group is re-sent.`, { min: 1 }),
                repeatInterval: duration(`How often an unchanged firing ${p} group is re-sent.`, { min: 1 }),
              }),
            ]),
          ) as Record<(typeof PRIORITIES)[number], z.ZodObject<{ groupWait: ReturnType<typeof duration>; groupInterval: ReturnType<typeof duration>; repeatInterval: ReturnType<typeof duration> }>>,
        )
        .describe("Alertmanager timing per priority, from the R-MON-5 response targets (P0 15 min, P1 30 min, P2 2 h, P3 none)."),
      heartbeat: z
        .strictObject({
          groupWait: duration("Wait before the first Watchdog notification.", { min: 0 }),
          repeatInterval: duration("How often the Watchdog reaches the dead-man's switch.", { min: 1 }),
        })
        .describe("Delivery of the always-firing Watchdog to the dead-man's switch."),
      receivers: z
        .strictObject({
          slackChannel: slackChannel("#alerts").describe("Slack channel for P2."),
          slackIncidentChannel: slackChannel("#incident").describe("Slack incident channel for P0/P1."),
          emailTo: z.string().email().describe("E-mail recipient for P2."),
          emailFrom: z.string().email().describe("Sender address of Alertmanager mail."),
          smarthost: z
            .string()
            .regex(/^[\w.-]+:\d+$/, { message: "must be host:port such as smtp.example.com:587" })
            .describe("SMTP relay host:port."),
        })
        .describe("Non-secret receiver settings; keys and URLs are secrets (pagerdutyRoutingKey, slackWebhookUrl, ticketWebhookUrl, watchdogUrl)."),
    })
    .describe("Alerting posture, rules, SLOs and receivers."),
  monitoring: z
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
      secretsAs: z
        .enum(["files", "env"])
        .describe(
          "How secrets reach the API: files (read-only mount, mode 0400, <NAME>_FILE variables point at them) or env (plain variables, inherited by every agent process the API spawns).",
        ),
    })
    .describe("Application settings delivered as a ConfigMap."),
  probes: z
    .strictObject({
      healthPath: z
        .string()
        .regex(/^\//, { message: "must be a path starting with '/'" })
        .describe("Health endpoint path (R-WL-1)."),
      livenessPeriod: wholeSeconds("Liveness probe period (R-WL-1).", "Kubernetes probe periods are whole seconds"),
      livenessTimeout: wholeSeconds("Liveness probe timeout (R-WL-1).", "Kubernetes probe timeouts are whole seconds"),
      livenessFailureThreshold: z.number().int().min(1).max(10).describe("Liveness failures before restart."),
      readinessPeriod: wholeSeconds("Readiness probe period.", "Kubernetes probe periods are whole seconds"),
      startupBudget: wholeSeconds("Time a pod has to become healthy after start (startup probe).", "the startup probe counts whole seconds"),
    })
    .describe("Health probes."),
  shutdown: z
    .strictObject({
      preStopDelay: wholeSeconds("Delay before SIGTERM so endpoints drain (R-WL-4).", "the preStop sleep action takes whole seconds"),
      terminationGracePeriod: wholeSeconds(
        "Time for in-flight agent tasks to finish after SIGTERM (R-WL-4).",
        "terminationGracePeriodSeconds is whole seconds",
      ),
    })
    .describe("Graceful shutdown."),
  volumes: z
    .strictObject({
      logsSizeLimit: quantity("Size limit of the writable logs emptyDir (R-WL-3)."),
      uploadsSizeLimit: quantity("Size limit of the writable uploads emptyDir (R-WL-3)."),
      tmpSizeLimit: quantity("Size limit of the writable /tmp emptyDir."),
    })
    .describe("Writable scratch volumes."),
  namespaceLimits: z
    .strictObject({
      jobAllowance: z
        .strictObject({
          pods: z.number().int().min(0).max(100).describe("Pods the quota allows beyond the workload's peak, for Jobs (migrations, exports, restores, smoke tests)."),
          cpu: quantity("CPU, requests and limits each, the quota allows beyond the workload's peak, for Jobs."),
          memory: quantity("Memory, requests and limits each, the quota allows beyond the workload's peak, for Jobs."),
        })
        .describe("Room in the namespace's ResourceQuota for Jobs next to the platform pods at their peak (R-WL-7)."),
      containerDefaults: containerResources("a container that states none (the LimitRange's defaults)"),
      containerMax: z
        .strictObject({
          cpu: quantity("Most CPU one container may be limited to; raised to the API's own limit where that is higher."),
          memory: quantity("Most memory one container may be limited to; raised to the API's own limit where that is higher."),
        })
        .describe("The LimitRange's per-container ceiling."),
    })
    .describe("The platform namespace's ResourceQuota allowance and LimitRange (R-WL-7)."),
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
      databaseCidrs: z.array(cidr).min(1).describe("Where the memory-store database lives (egress allowed from the platform pods and jobs only)."),
      privateRanges: z
        .array(cidr)
        .min(1)
        .describe("Ranges no HTTPS egress to the internet may reach (private, shared, link-local): the exceptions of the platform's and Alertmanager's internet egress."),
      apiServerCidrs: z.array(cidr).min(1).describe("Where the Kubernetes API server's endpoints are: egress for the add-ons that watch the API."),
      nodeCidrs: z.array(cidr).min(1).describe("The nodes' addresses: Prometheus scrapes kubelet and node-exporter there."),
      nodeLocalDns: z
        .string()
        .regex(/^(\d{1,3}\.){3}\d{1,3}$/, { message: "must be an IPv4 address such as 169.254.20.10" })
        .describe("Address of NodeLocal DNSCache, when the cluster runs it: DNS egress is allowed there too.")
        .optional(),
      databasePort: port.describe("Database port."),
      egress: z
        .array(
          z.strictObject({
            cidr,
            except: z.array(cidr),
            ports: z.array(port).min(1),
          }),
        )
        .describe("Further declared egress, e.g. HTTPS to model APIs; `except` entries lie inside `cidr`."),
    })
    .describe("NetworkPolicy inputs."),
  delivery: z
    .strictObject({
      strategy: z
        .enum(STRATEGIES)
        .describe("Delivery strategy, stated in every stack file: rolling (Deployment), blueGreen or canary (Argo Rollouts) (R-PD-9)."),
      installController: z.boolean().describe("Install the Argo Rollouts controller (argo-helm chart); false where the platform team runs it."),
      controllerNamespace: dnsLabel.describe("Namespace of the Argo Rollouts controller."),
      controllerChartVersion: chartVersion.describe("Pinned argo-rollouts chart version."),
      controllerReplicas: z.number().int().min(1).max(5).describe("Argo Rollouts controller replicas (one leads, the others wait; a PDB keeps one)."),
      controllerResources: containerResources("the Argo Rollouts controller"),
      minReady: wholeSeconds("How long a new pod must be ready before it counts as available.", "minReadySeconds is whole seconds", 0),
      progressDeadline: wholeSeconds(
        "How long a rollout may make no progress before it is marked failed (a Rollout then aborts to the stable version); longer than minReady.",
        "progressDeadlineSeconds is whole seconds",
      ),
      revisionHistoryLimit: z.number().int().min(1).max(100).describe("Old ReplicaSets kept for rollback."),
      trafficRouter: z
        .enum(["gatewayApi", "none"])
        .describe("Canary traffic router: Gateway API HTTPRoute via the Argo Rollouts plugin, or none (replica ratios)."),
      gatewayPlugin: z
        .strictObject({
          version: z
            .string()
            .regex(/^v\d+\.\d+\.\d+$/, { message: "must be a release tag such as v0.15.0" })
            .describe("Release of argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi the controller downloads."),
          arch: z.enum(["amd64", "arm64"]).describe("CPU architecture of the controller's nodes (the release asset gatewayapi-plugin-linux-<arch>)."),
          sha256: z
            .string()
            .regex(/^[a-f0-9]{64}$/, { message: "must be the 64 lower-case hex digits of the binary's SHA-256" })
            .describe(
              "SHA-256 of that release asset; the controller refuses a download that does not match. Required where the controller is installed with the plugin (docs/delivery.md: how to read it).",
            )
            .optional(),
        })
        .describe("The Gateway API traffic-router plugin, pinned by version, architecture and checksum."),
      gateway: z
        .strictObject({
          name: dnsLabel.describe("Gateway the HTTPRoute attaches to."),
          namespace: dnsLabel.describe("Namespace of that Gateway."),
          hostnames: z.array(z.string().min(1)).describe("Hostnames of the HTTPRoute (empty: the Gateway's)."),
        })
        .describe("Gateway API parent."),
      analysis: z
        .strictObject({
          interval: duration("Measurement interval of the canary stage analyses and the post-promotion check.", {
            min: 1,
            go: true,
            consumer: "an Argo Rollouts measurement interval",
          }),
          failuresTolerated: z
            .number()
            .int()
            .min(0)
            .max(10)
            .describe("Failed measurements a stage tolerates (Argo's failureLimit: the next one fails the stage and aborts); a failure is already evidence (delivery.verdicts)."),
          inconclusiveTolerated: z
            .number()
            .int()
            .min(0)
            .max(10)
            .describe("Inconclusive measurements a stage tolerates (inconclusiveLimit: the next one pauses the rollout); the queries always answer, so none is expected."),
          consecutiveErrorsTolerated: z
            .number()
            .int()
            .min(0)
            .max(10)
            .describe("Consecutive query errors tolerated (consecutiveErrorLimit: the next one fails the analysis and aborts)."),
          postPromotionMeasurements: z.number().int().min(1).max(60).describe("Measurements of the blue/green post-promotion check."),
        })
        .describe("Stage analyses (R-PD-3); every limit follows Argo's rule: it acts when the count exceeds it."),
      smokeTest: z
        .strictObject({
          measurements: z.number().int().min(1).max(10).describe("GETs of /health the smoke test makes; every one must report healthy (R-PD-7)."),
          interval: duration("Time between smoke-test GETs.", { min: 1, go: true, consumer: "an Argo Rollouts measurement interval" }),
          timeout: wholeSeconds("Timeout of one smoke-test GET.", "the web provider's timeoutSeconds is whole seconds"),
        })
        .describe("Smoke test of the new pods before any traffic reaches them (R-PD-7)."),
      trafficShiftBudget: duration("Time the router takes to move traffic back to stable (R-PD-4).", {
        min: 1,
        max: 30,
        consumer: "R-PD-4: a rollback shifts traffic in at most 30s",
      }),
      rollbackVerification: duration("How long stable is verified after a rollback (R-PD-4).", { min: 1 }),
      canarySteps: z
        .array(
          z.strictObject({
            weight: z.number().int().min(1).max(99).describe("Canary traffic, %."),
            duration: duration("Stage length.", { min: 1 }),
            maxErrorRate: ratio.describe("Stage error-rate ceiling (ratio)."),
            latencyQuantile: z.enum(["p95", "p99"]).describe("Latency quantile checked."),
            maxLatencyMs: z.number().int().min(1).describe("Latency ceiling, ms."),
          }),
        )
        .min(1)
        .describe("Canary stages with their success criteria (R-PD-2, R-PD-3)."),
      rollback: z
        .strictObject({
          errorRate: z
            .strictObject({
              window: duration("Window of the error-rate trigger: the canary's requests and 5xx counted over it.", { min: 1 }),
              interval: duration("Measurement interval of the error-rate trigger.", argoInterval),
            })
            .describe("R-PD-4: evidence of an error rate above alerting.rules.errorRate.critical.threshold aborts on the first such measurement."),
          latencyP99: z
            .strictObject({
              thresholdMs: z.number().int().min(1).describe("p99 latency of the new pods that rolls back when held (R-PD-4); a bucket bound of the request histogram."),
              sustained: duration(
                "The held duration: more than 1 % of the canary's requests over this window slower than the threshold (p99 above it over the whole window) rolls back; a p99 spike that is over before the window's share reaches 1 % does not.",
                { min: 1 },
              ),
              interval: duration("Measurement interval of the p99 trigger.", argoInterval),
            })
            .describe("R-PD-4 gradual rollback: tolerate short spikes, roll back on a sustained regression."),
          memoryInterval: duration("Measurement interval of the memory trigger; threshold and duration are alerting.rules.memorySustained (R-PD-5).", argoInterval),
          agentSpawnInterval: duration(
            "Measurement interval of the spawn-failure trigger; threshold, window and duration are alerting.rules.agentSpawnFailures (R-PD-5).",
            argoInterval,
          ),
          consecutiveErrorsTolerated: z
            .number()
            .int()
            .min(0)
            .max(10)
            .describe("Consecutive query errors a trigger tolerates (the next one aborts: an unreachable Prometheus never passes a canary)."),
        })
        .describe("Background rollback triggers: each asks Prometheus whether its condition held for its whole duration, and aborts on the first yes."),
      blueGreen: z
        .strictObject({
          scaleDownDelay: wholeSeconds(
            "How long the old colour stays up after promotion, for an instant switch back (R-PD-1).",
            "Argo Rollouts' scaleDownDelaySeconds is whole seconds",
            0,
          ),
          autoPromotion: z.boolean().describe("Promote automatically once pre-promotion analysis passes."),
        })
        .describe("Blue/green."),
      verdicts: z
        .strictObject({
          minTraffic: z
            .number()
            .gt(0)
            .describe("Requests/s in total (stable and canary) the canary plan must be sound at (R-PD-11: 5); the render reports each stage's evidence at it."),
          falseAbortBudget: ratio.describe("Share of healthy releases a rollout may roll back (R-PD-11: 1 %); every check's least evidence is derived from it."),
          healthyErrorRate: ratio.describe("5xx share of a healthy release, the baseline the checks must not mistake for a bad one (R-PD-11: 0.1 %)."),
          healthyLatency: z
            .strictObject({
              medianMs: z.number().gt(0).describe("Median latency of a healthy release, ms."),
              p99Ms: z.number().gt(0).describe("p99 latency of a healthy release, ms; with the median, a log-normal whose tail above each latency criterion is the healthy share the checks allow for."),
            })
            .describe("Latency of a healthy release (log-normal), the baseline of the latency checks."),
          abortBudgets: z
            .strictObject({
              fromTraffic: z.number().gt(0).describe("Requests/s in total from which the abort-time budgets hold (R-PD-11: 20)."),
              errorRate: duration("p95 time from the first traffic of a release with 10 % 5xx to its abort (R-PD-11: 60s).", { min: 1 }),
              outage: duration("p95 time from the first traffic of a release that answers only 5xx to its abort (R-PD-11: 45s).", { min: 1 }),
              latencySlack: duration("p95 time past the p99 trigger's held duration to abort a release whose p99 is the R-PD-5 critical latency (R-PD-11: 60s).", {
                min: 0,
              }),
            })
            .describe("How soon a bad release must be aborted; the render reports the simulated times against them."),
          simulatedRollouts: z
            .number()
            .int()
            .min(100)
            .max(100000)
            .describe("Rollouts the render's verdict simulator runs per case to report false-abort probability and abort times (fixed seed)."),
        })
        .describe("What the canary's verdicts are derived from and reported against (R-PD-11; docs/delivery.md)."),
      verdict: z
        .strictObject({
          enabled: z
            .boolean()
            .describe(
              "Make `pulumi up` wait for the Rollout's verdict (R-PD-10): a Job per Rollout change runs `kubectl argo rollouts status`, succeeds when the Rollout is Healthy, fails when it is Degraded (aborted) or still undecided at the plan's worst case.",
            ),
          image: image.describe("kubectl-argo-rollouts image the verdict Job runs; the controller's version."),
          resources: containerResources("the verdict Job's container"),
        })
        .describe("The rollout's verdict, awaited by `pulumi up` (R-PD-10)."),
      migration: z
        .strictObject({
          enabled: z.boolean().describe("Run database migrations before traffic moves (R-PD-7)."),
          command: z.array(z.string().min(1)).min(1).describe("Forward migration command in the platform image."),
          rollbackCommand: z.array(z.string().min(1)).min(1).describe("Backward migration command (documented rollback path)."),
          timeout: wholeSeconds("Migration Job deadline.", "a Job's activeDeadlineSeconds is whole seconds"),
          resources: containerResources("the migration Job's container"),
        })
        .describe("Database migration Job, run by Pulumi before the workload changes (R-PD-7)."),
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
  cluster: clusterSchema,
  aws: awsSchema,
  memoryStore: memoryStoreSchema,
  backups: backupsSchema,
  registry: registrySchema,
  kubeconfig: secret("Kubeconfig for the target cluster; the ambient context when absent.").optional(),
  kubeContext: z.string().min(1).describe("Context inside the kubeconfig to use.").optional(),
  databaseUrl: secret("PostgreSQL connection URL of the memory store; only with memoryStore.mode external (R-WL-8).").optional(),
  llmApiKey: secret("API key for the hosted model provider.").optional(),
  pagerdutyRoutingKey: secret("PagerDuty Events v2 routing key; required when alerting.paging is on and monitoring.install.").optional(),
  slackWebhookUrl: secret("Slack incoming-webhook URL; required when monitoring.install.").optional(),
  ticketWebhookUrl: secret("Ticketing webhook URL for P3; required when monitoring.install.").optional(),
  watchdogUrl: secret("Dead-man's-switch URL the always-firing Watchdog is sent to; required when monitoring.install.").optional(),
  smtpPassword: secret("SMTP password of the mail relay (optional: relays that allow the cluster without auth).").optional(),
});

/** The validated configuration of one stack: the profile with the stack file merged over it. */
export type StackConfig = z.output<typeof stackConfigSchema>;
/** What a profile or stack file writes (units as strings, before parsing). */
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
export type SecretKey = (typeof SECRET_KEYS)[number];

/** Keys a stack must set itself: no profile can know them. */
export const REQUIRED_KEYS = ["environment", "image"] as const;

/** Keys with no profile default: the profile is the schema's input without them. */
type StackOnlyKey = (typeof REQUIRED_KEYS)[number] | "namespace" | SecretKey | "kubeContext";
/** An environment profile: every setting with a sane default (`delivery.strategy` is stated per stack). */
export type Profile = Omit<StackConfigInput, StackOnlyKey | "delivery"> & {
  delivery: Omit<StackConfigInput["delivery"], "strategy">;
};

/** Secrets the Alertmanager receivers need, given the resolved alerting and monitoring settings. */
export function receiverSecretKeys(s: { alerting: { paging: boolean }; monitoring: { install: boolean } }): SecretKey[] {
  if (!s.monitoring.install) return [];
  return [...(s.alerting.paging ? (["pagerdutyRoutingKey"] as const) : []), "slackWebhookUrl", "ticketWebhookUrl", "watchdogUrl"];
}

/** The secret an external memory store needs: its URL (rds and inCluster build theirs). */
export function databaseSecretKeys(s: { memoryStore: { mode: string } }): SecretKey[] {
  return s.memoryStore.mode === "external" ? ["databaseUrl"] : [];
}
