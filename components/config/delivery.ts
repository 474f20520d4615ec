// The progressive-delivery part of the configuration schema (R-PD): the controller, the
// canary stages and their criteria, the rollback triggers, the verdict evidence, blue/green
// promotion and the migration Job.
import { z } from "zod";
import { chartVersion, containerResources, dnsLabel, duration, ratio, wholeSeconds } from "./fields";
import { image } from "./images";
import { STRATEGIES } from "./environments";

const argoInterval = { min: 1, go: true, consumer: "an Argo Rollouts measurement interval: h, m, s" };

export const deliverySchema = z
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
  .describe("Progressive delivery.");
