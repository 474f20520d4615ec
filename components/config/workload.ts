// The workload part of the configuration schema: pod resources, autoscaling, the
// application's settings, probes, shutdown, scratch volumes, the namespace's limits,
// topology spread and the NetworkPolicy inputs (R-ENV-1..4, R-ENV-9, R-WL).
import { z } from "zod";
import { cidr, containerResources, dnsLabel, percent, port, quantity, wholeSeconds } from "./fields";

export const resourcesSchema = z
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
  .describe("Container requests and limits.");

export const autoscalingSchema = z
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
  .describe("Horizontal pod autoscaling.");

export const appSchema = z
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
  .describe("Application settings delivered as a ConfigMap.");

export const probesSchema = z
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
  .describe("Health probes.");

export const shutdownSchema = z
  .strictObject({
    preStopDelay: wholeSeconds("Delay before SIGTERM so endpoints drain (R-WL-4).", "the preStop sleep action takes whole seconds"),
    terminationGracePeriod: wholeSeconds(
      "Time for in-flight agent tasks to finish after SIGTERM (R-WL-4).",
      "terminationGracePeriodSeconds is whole seconds",
    ),
  })
  .describe("Graceful shutdown.");

export const volumesSchema = z
  .strictObject({
    logsSizeLimit: quantity("Size limit of the writable logs emptyDir (R-WL-3)."),
    uploadsSizeLimit: quantity("Size limit of the writable uploads emptyDir (R-WL-3)."),
    tmpSizeLimit: quantity("Size limit of the writable /tmp emptyDir."),
  })
  .describe("Writable scratch volumes.");

export const namespaceLimitsSchema = z
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
  .describe("The platform namespace's ResourceQuota allowance and LimitRange (R-WL-7).");

export const topologySchema = z
  .strictObject({
    zoneSpread: z.enum(["required", "preferred"]).describe("Spread across zones: hard or soft (R-WL-5)."),
    nodeSpread: z.enum(["required", "preferred"]).describe("Spread across nodes: hard or soft (R-WL-5)."),
  })
  .describe("Topology spread.");

export const networkSchema = z
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
  .describe("NetworkPolicy inputs.");
