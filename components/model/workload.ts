// Pure model of the platform workload: application settings, the pod template (shared
// by the rolling Deployment and the Argo Rollout), the Service, HPA and PDB. Plain
// Kubernetes objects, no Pulumi resources, so tests and the render can read them.
import { otelSettings } from "./observability/collector";
import { createHash } from "crypto";
import type * as k8s from "@pulumi/kubernetes";
import type { StackConfig } from "../config/schema";
import { hardenedContainer, hardenedPod } from "./hardening";
import { containerResources } from "./format";
import { commonLabels, selectorLabels } from "./labels";
import { DATA_NAMES, DB_CA, NAMES } from "./names";

/** Where the feature flags file is mounted (R-PD-8); kubelet refreshes it in place. */
export const FLAGS_MOUNT = "/app/config/flags";
export const FLAGS_FILE = "flags.json";

/** Mount points of the writable volumes; the root filesystem is read-only (R-WL-3). */
export const MOUNTS = { logs: "/app/logs", uploads: "/app/uploads", tmp: "/tmp" } as const;

/** Keys of the platform Secret; values come from Pulumi secrets only (R-WL-6, R-WL-8). */
export const SECRET_ENV = {
  jwtSigningKey: "JWT_SIGNING_KEY",
  databaseUrl: "DATABASE_URL",
  llmApiKey: "LLM_API_KEY",
} as const;

/** Where the platform Secret is mounted when secrets reach the pods as files (R-WL-6). */
export const SECRETS_MOUNT = "/app/secrets";

/** The RDS CA bundle, mounted where the connection URLs' sslrootcert points (mode rds only). */
export function databaseCa(cfg: Pick<StackConfig, "memoryStore">) {
  if (cfg.memoryStore.mode !== "rds") {
    return { volumeMounts: [] as k8s.types.input.core.v1.VolumeMount[], volumes: [] as k8s.types.input.core.v1.Volume[] };
  }
  return {
    volumeMounts: [{ name: DB_CA.volume, mountPath: DB_CA.mount, readOnly: true }] as k8s.types.input.core.v1.VolumeMount[],
    volumes: [{ name: DB_CA.volume, configMap: { name: DATA_NAMES.caConfigMap, defaultMode: 0o444 } }] as k8s.types.input.core.v1.Volume[],
  };
}

/**
 * How the platform Secret's keys reach a container: by default as read-only files (mode
 * 0400; fsGroup makes them readable by the app's group) with `<KEY>_FILE` variables
 * pointing at them, so agent processes the API spawns inherit no secret in their
 * environment; with `app.secretsAs: env`, as plain variables.
 */
export function secretDelivery(cfg: Pick<StackConfig, "app">, keys: string[]) {
  if (cfg.app.secretsAs === "env") {
    return {
      env: keys.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: NAMES.secret, key } } })),
      volumeMounts: [] as k8s.types.input.core.v1.VolumeMount[],
      volumes: [] as k8s.types.input.core.v1.Volume[],
    };
  }
  return {
    env: keys.map((key) => ({ name: `${key}_FILE`, value: `${SECRETS_MOUNT}/${key}` })),
    volumeMounts: [{ name: "secrets", mountPath: SECRETS_MOUNT, readOnly: true }] as k8s.types.input.core.v1.VolumeMount[],
    volumes: [{ name: "secrets", secret: { secretName: NAMES.secret, defaultMode: 0o400, items: keys.map((key) => ({ key, path: key })) } }] as k8s.types.input.core.v1.Volume[],
  };
}

/** The container port's name; probes and Services refer to it. */
export const HTTP_PORT = "http";

export type SettingsArgs = Pick<StackConfig, "environment" | "app" | "logLevel" | "observability" | "externalServices" | "probes" | "shutdown">;

/** Application settings, delivered as a ConfigMap (R-ENV-9, R-ENV-5, R-ENV-6, R-ENV-8). */
export function appSettings(cfg: SettingsArgs): Record<string, string> {
  return {
    PORT: String(cfg.app.port),
    NODE_ENV: cfg.environment === "dev" ? "development" : "production",
    APP_ENVIRONMENT: cfg.environment,
    API_PREFIX: cfg.app.apiPrefix,
    API_RATE_LIMIT: String(cfg.app.rateLimitPerMinute),
    LOG_LEVEL: cfg.logLevel,
    DEBUG: String(cfg.logLevel === "debug"),
    TRACING_LEVEL: cfg.observability.tracing,
    PROFILING_ENABLED: String(cfg.observability.profiling),
    SLA_MONITORING_ENABLED: String(cfg.observability.slaMonitoring),
    EXTERNAL_SERVICES_MODE: cfg.externalServices,
    HEALTH_PATH: cfg.probes.healthPath,
    METRICS_PATH: "/metrics",
    LOG_DIR: MOUNTS.logs,
    UPLOAD_DIR: MOUNTS.uploads,
    FEATURE_FLAGS_FILE: `${FLAGS_MOUNT}/${FLAGS_FILE}`,
    SHUTDOWN_GRACE_SECONDS: String(cfg.shutdown.terminationGracePeriod.seconds - cfg.shutdown.preStopDelay.seconds),
    // R-OBS-3: where traces go and how many are kept.
    ...otelSettings(cfg),
  };
}

/** A short content hash; a change of settings changes the pod template and so rolls pods. */
export function checksum(data: Record<string, string>): string {
  const canonical = JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/** The startup probe's period; its failure threshold covers probes.startupBudget. */
const STARTUP_PERIOD_SECONDS = 5;

export type PodArgs = SettingsArgs & Pick<StackConfig, "image" | "resources" | "volumes" | "topology" | "memoryStore">;

/** The pod template: the single definition every workload kind of this program uses. */
export function podTemplate(cfg: PodArgs, opts: { hasLlmApiKey: boolean }) {
  const health = { path: cfg.probes.healthPath, port: HTTP_PORT, scheme: "HTTP" };
  const readinessPeriod = cfg.probes.readinessPeriod.seconds;
  const spread = (topologyKey: string, mode: "required" | "preferred") => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: mode === "required" ? "DoNotSchedule" : "ScheduleAnyway",
    labelSelector: { matchLabels: selectorLabels(cfg) },
  });
  const secrets = secretDelivery(cfg, [
    SECRET_ENV.jwtSigningKey,
    SECRET_ENV.databaseUrl,
    ...(opts.hasLlmApiKey ? [SECRET_ENV.llmApiKey] : []),
  ]);
  const ca = databaseCa(cfg);
  return {
    metadata: {
      labels: commonLabels(cfg),
      annotations: {
        "agent-platform/config-checksum": checksum(appSettings(cfg)),
        "prometheus.io/scrape": "true",
        "prometheus.io/port": String(cfg.app.port),
        "prometheus.io/path": "/metrics",
      },
    },
    spec: {
      serviceAccountName: NAMES.serviceAccount,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: cfg.shutdown.terminationGracePeriod.seconds,
      securityContext: hardenedPod(),
      topologySpreadConstraints: [
        spread("topology.kubernetes.io/zone", cfg.topology.zoneSpread),
        spread("kubernetes.io/hostname", cfg.topology.nodeSpread),
      ],
      containers: [
        {
          name: "api",
          image: cfg.image,
          imagePullPolicy: "IfNotPresent",
          ports: [{ name: HTTP_PORT, containerPort: cfg.app.port, protocol: "TCP" }],
          envFrom: [{ configMapRef: { name: NAMES.configMap } }],
          env: secrets.env,
          resources: containerResources(cfg.resources),
          startupProbe: {
            httpGet: health,
            periodSeconds: STARTUP_PERIOD_SECONDS,
            timeoutSeconds: Math.min(STARTUP_PERIOD_SECONDS, cfg.probes.livenessTimeout.seconds),
            failureThreshold: Math.max(1, Math.ceil(cfg.probes.startupBudget.seconds / STARTUP_PERIOD_SECONDS)),
          },
          readinessProbe: {
            httpGet: health,
            periodSeconds: readinessPeriod,
            timeoutSeconds: Math.min(cfg.probes.livenessTimeout.seconds, readinessPeriod),
            failureThreshold: 3,
            successThreshold: 1,
          },
          livenessProbe: {
            httpGet: health,
            periodSeconds: cfg.probes.livenessPeriod.seconds,
            timeoutSeconds: cfg.probes.livenessTimeout.seconds,
            failureThreshold: cfg.probes.livenessFailureThreshold,
          },
          lifecycle: {
            // The sleep action needs no shell in the image; SIGTERM follows it and reaches
            // the process through the image's init (dumb-init) (R-WL-4).
            preStop: { sleep: { seconds: cfg.shutdown.preStopDelay.seconds } },
          },
          securityContext: hardenedContainer(),
          volumeMounts: [
            { name: "logs", mountPath: MOUNTS.logs },
            { name: "uploads", mountPath: MOUNTS.uploads },
            { name: "tmp", mountPath: MOUNTS.tmp },
            // Mounted as a directory (not subPath) so flag changes reach running pods
            // without a new pod template, hence without a rollout (R-PD-8).
            { name: "feature-flags", mountPath: FLAGS_MOUNT, readOnly: true },
            ...secrets.volumeMounts,
            ...ca.volumeMounts,
          ],
        },
      ],
      volumes: [
        { name: "logs", emptyDir: { sizeLimit: cfg.volumes.logsSizeLimit.text } },
        { name: "uploads", emptyDir: { sizeLimit: cfg.volumes.uploadsSizeLimit.text } },
        { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: cfg.volumes.tmpSizeLimit.text } },
        { name: "feature-flags", configMap: { name: NAMES.flags } },
        ...secrets.volumes,
        ...ca.volumes,
      ],
    },
  };
}

export type PodTemplate = ReturnType<typeof podTemplate>;

export type ScaleArgs = Pick<StackConfig, "environment" | "replicas" | "autoscaling" | "delivery">;

/** Rolling update that never drops below the desired count (R-WL-5). */
export function rollingDeploymentSpec(cfg: ScaleArgs, template: PodTemplate) {
  return {
    // With an HPA the replica count belongs to the HPA: leaving it out avoids a
    // server-side-apply conflict on every `pulumi up`.
    ...(cfg.autoscaling.enabled ? {} : { replicas: cfg.replicas }),
    revisionHistoryLimit: cfg.delivery.revisionHistoryLimit,
    minReadySeconds: cfg.delivery.minReady.seconds,
    progressDeadlineSeconds: cfg.delivery.progressDeadline.seconds,
    selector: { matchLabels: selectorLabels(cfg) },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    template,
  };
}

/** ClusterIP Service on port 80 to the API port: stable/active, preview and canary alike. */
export function serviceSpec(cfg: Pick<StackConfig, "environment">) {
  return {
    type: "ClusterIP",
    selector: selectorLabels(cfg),
    ports: [{ name: "http", port: 80, targetPort: HTTP_PORT, protocol: "TCP" }],
  };
}

/** autoscaling/v2 HPA spec (R-ENV-2, R-WL-5). */
export function hpaSpec(cfg: Pick<StackConfig, "autoscaling">, target: { apiVersion: string; kind: string; name: string }) {
  const a = cfg.autoscaling;
  const utilization = (name: string, averageUtilization: number) => ({
    type: "Resource",
    resource: { name, target: { type: "Utilization", averageUtilization } },
  });
  return {
    scaleTargetRef: target,
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    metrics: [utilization("cpu", a.targetCpuUtilization), utilization("memory", a.targetMemoryUtilization)],
    behavior: {
      scaleUp: {
        stabilizationWindowSeconds: a.scaleUpStabilization.seconds,
        selectPolicy: "Max",
        policies: [
          { type: "Percent", value: a.scaleUpPercent, periodSeconds: a.scalingPeriod.seconds },
          { type: "Pods", value: a.scaleUpPods, periodSeconds: a.scalingPeriod.seconds },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: a.scaleDownStabilization.seconds,
        selectPolicy: "Min",
        policies: [{ type: "Pods", value: a.scaleDownPods, periodSeconds: a.scalingPeriod.seconds }],
      },
    },
  };
}

/**
 * At most one pod voluntarily disrupted at a time (R-WL-5). With a single replica (dev)
 * this allows a node drain to proceed instead of blocking it forever.
 */
export function pdbSpec(cfg: Pick<StackConfig, "environment">) {
  return { maxUnavailable: 1, selector: { matchLabels: selectorLabels(cfg) } };
}
