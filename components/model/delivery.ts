// Pure model of progressive delivery with Argo Rollouts (R-PD-1..9): the Rollout spec
// per strategy, the AnalysisTemplates and their PromQL, the canary stage plan, the
// worst-case rollback latency of each trigger, and the feature-flag document.
// Plain objects only; components/delivery.ts declares them.
import type { StackConfig } from "../config/schema";
import type { CanaryStep } from "./profiles";
import { formatDuration, parseDuration, parseQuantity } from "./units";
import { NAMES, PodTemplate, RUN_AS, SECRET_ENV, hardenedContainer, selectorLabels } from "./workload";

export const DELIVERY_NAMES = {
  rollout: NAMES.workload,
  stableService: NAMES.service, // also the blue/green active Service
  previewService: `${NAMES.service}-preview`,
  canaryService: `${NAMES.service}-canary`,
  httpRoute: NAMES.service,
  stageTemplate: (i: number) => `canary-stage-${i + 1}`,
  triggersTemplate: "rollback-triggers",
  smokeTemplate: "preview-smoke-test",
  migrationTemplate: "database-migration",
  postPromotionTemplate: "post-promotion-check",
} as const;

export const GATEWAY_PLUGIN = "argoproj-labs/gatewayAPI";

const secs = (d: string): number => parseDuration(d) as number;

/** The template arg Argo fills with the new (canary / preview) ReplicaSet's pod hash. */
export const HASH_ARG = "{{args.canary-hash}}";

// ---------------------------------------------------------------- PromQL ----------

/**
 * Selector for the series of the new pods only. The ServiceMonitor copies the pod label
 * `rollouts-pod-template-hash` onto every series (podTargetLabels), so the analyses judge
 * the canary on its own traffic, not diluted by stable.
 */
function newPods(cfg: StackConfig): string {
  return `namespace="${cfg.namespace}",rollouts_pod_template_hash="${HASH_ARG}"`;
}

const requestRate = (sel: string, window: string) => `sum(rate(http_requests_total{${sel}}[${window}]))`;

/** Returns nothing (so Argo sees an empty result: inconclusive) when traffic is below `minRps`. */
function withTrafficGuard(expr: string, sel: string, window: string, minRps: number): string {
  return `(${expr}) and on() (${requestRate(sel, window)} >= ${minRps})`;
}

export interface Queries {
  errorRate(window: string): string;
  latency(quantile: "p95" | "p99", window: string): string;
  memoryRatio(): string;
  agentSpawnFailureRatio(window: string): string;
}

export function queries(cfg: StackConfig): Queries {
  const sel = newPods(cfg);
  const min = cfg.delivery.minCanaryRequestRate;
  const memLimit = parseQuantity(cfg.resources.limits.memory)!;
  return {
    errorRate: (w) =>
      withTrafficGuard(
        `sum(rate(http_requests_total{${sel},code=~"5.."}[${w}])) / ${requestRate(sel, w)}`,
        sel,
        w,
        min,
      ),
    latency: (q, w) =>
      withTrafficGuard(
        `histogram_quantile(${q === "p95" ? "0.95" : "0.99"}, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[${w}])))`,
        sel,
        w,
        min,
      ),
    // cAdvisor series carry the pod name, which for a Rollout is <rollout>-<hash>-<suffix>.
    memoryRatio: () =>
      `max(container_memory_working_set_bytes{namespace="${cfg.namespace}",pod=~"${DELIVERY_NAMES.rollout}-${HASH_ARG}-.*",container="api"}) / ${memLimit}`,
    agentSpawnFailureRatio: (w) =>
      `(sum(rate(agent_spawn_total{${sel},result="failure"}[${w}])) / sum(rate(agent_spawn_total{${sel}}[${w}]))) and on() (sum(rate(agent_spawn_total{${sel}}[${w}])) > 0)`,
  };
}

// --------------------------------------------------------- Analysis ----------

/** Empty result (too little traffic) is neither success nor failure: inconclusive. */
const below = (max: number) => ({
  successCondition: `len(result) > 0 && result[0] < ${max}`,
  failureCondition: `len(result) > 0 && result[0] >= ${max}`,
});

const HASH_ARGS = [{ name: "canary-hash" }];

function prometheus(cfg: StackConfig, query: string) {
  return { prometheus: { address: cfg.delivery.prometheusAddress, query, timeout: 10 } };
}

export interface AnalysisTemplate {
  name: string;
  spec: Record<string, unknown>;
}

/** The rate window of a measurement: at least two scrapes, at least the interval. */
function window(cfg: StackConfig, interval: string): string {
  return formatDuration(Math.max(secs(interval), 4 * secs(cfg.delivery.scrapeInterval)));
}

/** One analysis per canary stage, measuring that stage's criteria over its whole window (R-PD-3). */
export function stageTemplate(cfg: StackConfig, step: CanaryStep, index: number): AnalysisTemplate {
  const q = queries(cfg);
  const interval = cfg.delivery.analysisInterval;
  const count = Math.max(1, Math.round(secs(step.duration) / secs(interval)));
  const w = window(cfg, interval);
  const common = {
    interval,
    count,
    failureLimit: 1,
    // Too little canary traffic: pause the rollout for a human, never pass and never roll back.
    inconclusiveLimit: 2,
    // Prometheus unreachable is an Error, never a pass: two in a row fail the stage (abort).
    consecutiveErrorLimit: 2,
  };
  return {
    name: DELIVERY_NAMES.stageTemplate(index),
    spec: {
      args: HASH_ARGS,
      metrics: [
        { name: "error-rate", ...common, ...below(step.maxErrorRate), provider: prometheus(cfg, q.errorRate(w)) },
        {
          name: `latency-${step.latencyQuantile}`,
          ...common,
          ...below(step.maxLatencyMs / 1000),
          provider: prometheus(cfg, q.latency(step.latencyQuantile, w)),
        },
      ],
    },
  };
}

export interface Trigger {
  name: string;
  requirement: string;
  condition: string;
  interval: string;
  failureLimit: number;
}

/** Background rollback triggers on the canary's own metrics (R-PD-4, R-PD-5). */
export function triggers(cfg: StackConfig): Trigger[] {
  const r = cfg.delivery.rollback;
  const every = (forDur: string, interval: string) => Math.max(0, Math.ceil(secs(forDur) / secs(interval)) - 1);
  return [
    {
      name: "error-rate",
      requirement: "R-PD-4, R-PD-5",
      condition: `error rate > ${r.errorRate * 100} %`,
      interval: r.errorRateInterval,
      failureLimit: 0,
    },
    {
      name: "latency-p99",
      requirement: "R-PD-4, R-PD-5",
      condition: `p99 > ${r.p99Ms} ms`,
      interval: r.p99Interval,
      failureLimit: r.p99FailureLimit,
    },
    {
      name: "memory",
      requirement: "R-PD-5",
      condition: `memory > ${r.memoryRatio * 100} % of limit for ${r.memoryFor}`,
      interval: "30s",
      failureLimit: every(r.memoryFor, "30s"),
    },
    {
      name: "agent-spawn-failures",
      requirement: "R-PD-5",
      condition: `agent-spawn failures > ${r.agentSpawnFailureRatio * 100} % for ${r.agentSpawnFor}`,
      interval: "30s",
      failureLimit: every(r.agentSpawnFor, "30s"),
    },
  ];
}

export function triggersTemplate(cfg: StackConfig): AnalysisTemplate {
  const q = queries(cfg);
  const r = cfg.delivery.rollback;
  const t = Object.fromEntries(triggers(cfg).map((x) => [x.name, x]));
  // Argo fails a metric when failures exceed failureLimit; Errors (Prometheus down) count
  // separately and fail it after consecutiveErrorLimit, so an outage never passes silently.
  const metric = (name: string, max: number, query: string) => ({
    name,
    interval: t[name].interval,
    failureLimit: t[name].failureLimit,
    consecutiveErrorLimit: 2,
    // Background analysis runs until the rollout completes; low traffic must not abort it.
    inconclusiveLimit: 1000,
    ...below(max),
    provider: prometheus(cfg, query),
  });
  return {
    name: DELIVERY_NAMES.triggersTemplate,
    spec: {
      args: HASH_ARGS,
      metrics: [
        metric("error-rate", r.errorRate, q.errorRate(window(cfg, r.errorRateInterval))),
        metric("latency-p99", r.p99Ms / 1000, q.latency("p99", window(cfg, r.p99Interval))),
        metric("memory", r.memoryRatio, q.memoryRatio()),
        metric("agent-spawn-failures", r.agentSpawnFailureRatio, q.agentSpawnFailureRatio("2m")),
      ],
    },
  };
}

/**
 * R-PD-7: the preview colour's /health must answer 200 with every component healthy.
 * The web provider fails on a non-2xx answer; the condition reads the health document
 * `{"status": "healthy", "components": {...}}`.
 */
export function smokeTemplate(cfg: StackConfig): AnalysisTemplate {
  return {
    name: DELIVERY_NAMES.smokeTemplate,
    spec: {
      metrics: [
        {
          name: "preview-health",
          count: 3,
          interval: "10s",
          failureLimit: 0,
          successCondition: `result == "healthy"`,
          provider: {
            web: {
              url: `http://${DELIVERY_NAMES.previewService}.${cfg.namespace}.svc.cluster.local${cfg.probes.healthPath}`,
              jsonPath: "{$.status}",
              timeoutSeconds: 5,
            },
          },
        },
      ],
    },
  };
}

/** Hardened Job pod for migrations: same image, same identity rules as the platform pods. */
export function migrationJobSpec(cfg: StackConfig, command: string[]) {
  return {
    backoffLimit: 0,
    activeDeadlineSeconds: secs(cfg.delivery.migration.timeout),
    ttlSecondsAfterFinished: 86400,
    template: {
      metadata: { labels: { "app.kubernetes.io/name": `${NAMES.workload}-migration`, "app.kubernetes.io/part-of": NAMES.workload } },
      spec: {
        restartPolicy: "Never",
        serviceAccountName: NAMES.serviceAccount,
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: RUN_AS, runAsGroup: RUN_AS, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "migrate",
            image: cfg.image,
            command,
            env: [{ name: SECRET_ENV.databaseUrl, valueFrom: { secretKeyRef: { name: NAMES.secret, key: SECRET_ENV.databaseUrl } } }],
            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
            securityContext: hardenedContainer(),
          },
        ],
      },
    },
  };
}

/** R-PD-7: forward migrations as a Job that must succeed before traffic moves. */
export function migrationTemplate(cfg: StackConfig): AnalysisTemplate {
  return {
    name: DELIVERY_NAMES.migrationTemplate,
    spec: {
      metrics: [
        {
          name: "migrate-up",
          failureLimit: 0,
          provider: { job: { spec: migrationJobSpec(cfg, cfg.delivery.migration.command) } },
        },
      ],
    },
  };
}

/** After a blue/green switch: the new active colour keeps its error rate under the stage-2 criteria. */
export function postPromotionTemplate(cfg: StackConfig): AnalysisTemplate {
  const q = queries(cfg);
  const last = cfg.delivery.canarySteps[cfg.delivery.canarySteps.length - 1];
  return {
    name: DELIVERY_NAMES.postPromotionTemplate,
    spec: {
      args: HASH_ARGS,
      metrics: [
        {
          name: "error-rate",
          interval: cfg.delivery.analysisInterval,
          count: 5,
          failureLimit: 1,
          inconclusiveLimit: 2,
          consecutiveErrorLimit: 2,
          ...below(last.maxErrorRate),
          provider: prometheus(cfg, q.errorRate(window(cfg, cfg.delivery.analysisInterval))),
        },
      ],
    },
  };
}

export function analysisTemplates(cfg: StackConfig): AnalysisTemplate[] {
  const d = cfg.delivery;
  if (d.strategy === "canary") {
    return [
      ...d.canarySteps.map((s, i) => stageTemplate(cfg, s, i)),
      triggersTemplate(cfg),
      ...(d.migration.enabled ? [migrationTemplate(cfg)] : []),
    ];
  }
  if (d.strategy === "blueGreen") {
    return [smokeTemplate(cfg), postPromotionTemplate(cfg), ...(d.migration.enabled ? [migrationTemplate(cfg)] : [])];
  }
  return [];
}

// ----------------------------------------------------------- Rollout ----------

const hashArg = [{ name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } }];

export function canarySteps(cfg: StackConfig): unknown[] {
  const d = cfg.delivery;
  const steps: unknown[] = [];
  if (d.migration.enabled) {
    // Migrations first, while 0 % of traffic is on the new version (R-PD-7).
    steps.push({ analysis: { templates: [{ templateName: DELIVERY_NAMES.migrationTemplate }] } });
  }
  d.canarySteps.forEach((s, i) => {
    steps.push({ setWeight: s.weight });
    // The stage's analysis lasts the stage: it is the pause, and it gates the next step.
    steps.push({ analysis: { templates: [{ templateName: DELIVERY_NAMES.stageTemplate(i) }], args: hashArg } });
  });
  return steps;
}

export function rolloutStrategy(cfg: StackConfig): Record<string, unknown> {
  const d = cfg.delivery;
  if (d.strategy === "blueGreen") {
    return {
      blueGreen: {
        activeService: DELIVERY_NAMES.stableService,
        previewService: DELIVERY_NAMES.previewService,
        autoPromotionEnabled: d.blueGreen.autoPromotion,
        // The old colour stays up, scaled, so `kubectl argo rollouts undo` switches back at once.
        scaleDownDelaySeconds: secs(d.blueGreen.scaleDownDelay),
        prePromotionAnalysis: {
          templates: [
            ...(d.migration.enabled ? [{ templateName: DELIVERY_NAMES.migrationTemplate }] : []),
            { templateName: DELIVERY_NAMES.smokeTemplate },
          ],
        },
        postPromotionAnalysis: { templates: [{ templateName: DELIVERY_NAMES.postPromotionTemplate }], args: hashArg },
        abortScaleDownDelaySeconds: 30,
      },
    };
  }
  if (d.strategy === "canary") {
    return {
      canary: {
        stableService: DELIVERY_NAMES.stableService,
        canaryService: DELIVERY_NAMES.canaryService,
        maxSurge: "25%",
        maxUnavailable: 0,
        abortScaleDownDelaySeconds: 30,
        trafficRouting: {
          plugins: {
            [GATEWAY_PLUGIN]: { httpRoute: DELIVERY_NAMES.httpRoute, namespace: cfg.namespace },
          },
        },
        analysis: {
          templates: [{ templateName: DELIVERY_NAMES.triggersTemplate }],
          args: hashArg,
        },
        steps: canarySteps(cfg),
      },
    };
  }
  throw new Error(`rolloutStrategy: strategy ${d.strategy} is declared as a Deployment, not a Rollout`);
}

export function rolloutSpec(cfg: StackConfig, template: PodTemplate): Record<string, unknown> {
  return {
    ...(cfg.autoscaling.enabled ? {} : { replicas: cfg.replicas }),
    revisionHistoryLimit: 5,
    minReadySeconds: 10,
    progressDeadlineSeconds: 600,
    progressDeadlineAbort: true,
    selector: { matchLabels: selectorLabels(cfg) },
    template,
    strategy: rolloutStrategy(cfg),
  };
}

/** HTTPRoute the Gateway API plugin rewrites: all traffic to stable until a canary starts. */
export function httpRouteSpec(cfg: StackConfig) {
  const g = cfg.delivery.gateway;
  return {
    parentRefs: [{ name: g.name, namespace: g.namespace }],
    ...(g.hostnames.length ? { hostnames: g.hostnames } : {}),
    rules: [
      {
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        backendRefs: [
          { name: DELIVERY_NAMES.stableService, port: 80, weight: 100 },
          { name: DELIVERY_NAMES.canaryService, port: 80, weight: 0 },
        ],
      },
    ],
  };
}

/** Values of the argo-rollouts chart: the controller with the Gateway API plugin. */
export function controllerValues(cfg: StackConfig) {
  return {
    installCRDs: true,
    keepCRDs: true,
    controller: {
      replicas: 2,
      trafficRouterPlugins: [{ name: GATEWAY_PLUGIN, location: cfg.delivery.gatewayPluginUrl }],
      metrics: { enabled: true },
      pdb: { enabled: true, minAvailable: 1 },
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    },
    providerRBAC: { enabled: true, providers: { gatewayAPI: true } },
    dashboard: { enabled: false },
  };
}

// ------------------------------------------------------- plan & latency ----------

export interface TriggerLatency {
  trigger: string;
  requirement: string;
  condition: string;
  /** Worst time from the first bad request to traffic back on stable, seconds. */
  worstSeconds: number;
  breakdown: string;
}

/**
 * Worst case from a bad release's first request to traffic on stable, per trigger:
 *   2 × scrape interval      (rate() needs two samples of the new pods)
 * + interval × (failureLimit + 1)   (measurements until the limit is exceeded; the first
 *                                    may start just before the samples exist)
 * + traffic shift budget    (router moves the canary weight to 0 on abort)
 */
export function rollbackLatency(cfg: StackConfig): TriggerLatency[] {
  const scrape = secs(cfg.delivery.scrapeInterval);
  const shift = secs(cfg.delivery.trafficShiftBudget);
  return triggers(cfg).map((t) => {
    const interval = secs(t.interval);
    const measurements = t.failureLimit + 1;
    const worst = 2 * scrape + interval * measurements + shift;
    return {
      trigger: t.name,
      requirement: t.requirement,
      condition: t.condition,
      worstSeconds: worst,
      breakdown: `2×${formatDuration(scrape)} scrape + ${measurements}×${formatDuration(interval)} analysis + ${formatDuration(shift)} shift`,
    };
  });
}

export interface DeliveryPlan {
  strategy: string;
  stages: Array<{ weight: number; duration: string; criteria: string }>;
  triggers: TriggerLatency[];
  rollback: { trafficShiftSeconds: number; verificationSeconds: number; completeSeconds: number };
  blueGreen?: { activeService: string; previewService: string; scaleDownDelay: string };
}

export function deliveryPlan(cfg: StackConfig): DeliveryPlan {
  const d = cfg.delivery;
  const shift = secs(d.trafficShiftBudget);
  const verify = secs(d.rollbackVerification);
  return {
    strategy: d.strategy,
    stages:
      d.strategy === "canary"
        ? [
            ...d.canarySteps.map((s) => ({
              weight: s.weight,
              duration: s.duration,
              criteria: `error rate < ${+(s.maxErrorRate * 100).toFixed(2)} %, ${s.latencyQuantile} < ${s.maxLatencyMs} ms`,
            })),
            { weight: 100, duration: "-", criteria: "promoted" },
          ]
        : [],
    triggers: d.strategy === "canary" ? rollbackLatency(cfg) : [],
    rollback: { trafficShiftSeconds: shift, verificationSeconds: verify, completeSeconds: shift + verify },
    ...(d.strategy === "blueGreen"
      ? {
          blueGreen: {
            activeService: DELIVERY_NAMES.stableService,
            previewService: DELIVERY_NAMES.previewService,
            scaleDownDelay: d.blueGreen.scaleDownDelay,
          },
        }
      : {}),
  };
}

// ------------------------------------------------------------- flags ----------

/** R-PD-8: the flags document the pods read from the mounted file. */
export function flagsDocument(cfg: StackConfig) {
  return {
    environment: cfg.environment,
    flags: cfg.featureFlags.map((f) => ({
      key: f.key,
      enabled: f.enabled,
      percentage: f.percentage,
      userTargeting: f.userTargeting,
      environmentRestrictions: f.environmentRestrictions,
      // Evaluated here so the app and the reviewer agree on what applies to this stack.
      activeInThisEnvironment:
        f.enabled && (f.environmentRestrictions.length === 0 || f.environmentRestrictions.includes(cfg.environment)),
    })),
  };
}
