// Pure model of the platform workload: labels, application settings, the pod template
// (shared by the rolling Deployment today and by progressive delivery later), the HPA,
// PDB, quota, limit range and network policies. Plain Kubernetes objects, no Pulumi
// resources, so tests and the render can read them directly.
import { createHash } from "crypto";
import type * as k8s from "@pulumi/kubernetes";
import type { StackConfig } from "../config/schema";
import { parseDuration, parseQuantity } from "./units";

export const APP_NAME = "agent-platform";
/** Literal names other objects refer to (R: names are metadata.name, not auto-names). */
export const NAMES = {
  workload: APP_NAME,
  service: APP_NAME,
  serviceAccount: APP_NAME,
  configMap: `${APP_NAME}-config`,
  secret: `${APP_NAME}-secrets`,
  pdb: APP_NAME,
  hpa: APP_NAME,
  flags: `${APP_NAME}-flags`,
} as const;

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

/** Non-root UID/GID of the platform image (R-WL-3). */
export const RUN_AS = 10001;

const seconds = (d: string): number => parseDuration(d) as number;

/** Container security context of every container this program declares (R-WL-3, PSA restricted). */
export function hardenedContainer() {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export function selectorLabels(cfg: StackConfig): Record<string, string> {
  return {
    "app.kubernetes.io/name": APP_NAME,
    "app.kubernetes.io/instance": `${APP_NAME}-${cfg.environment}`,
  };
}

export function commonLabels(cfg: StackConfig): Record<string, string> {
  return {
    ...selectorLabels(cfg),
    "app.kubernetes.io/component": "api",
    "app.kubernetes.io/part-of": APP_NAME,
    "app.kubernetes.io/managed-by": "pulumi",
    "agent-platform/environment": cfg.environment,
  };
}

/** Application settings, delivered as a ConfigMap (R-ENV-9, R-ENV-5, R-ENV-6, R-ENV-8). */
export function appSettings(cfg: StackConfig): Record<string, string> {
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
    SHUTDOWN_GRACE_SECONDS: String(seconds(cfg.shutdown.terminationGracePeriod) - seconds(cfg.shutdown.preStopDelay)),
  };
}

/** A short content hash; a change of settings changes the pod template and so rolls pods. */
export function checksum(data: Record<string, string>): string {
  const canonical = JSON.stringify(Object.keys(data).sort().map((k) => [k, data[k]]));
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

const PROBE_PORT = "http";

/** The pod template: the single definition every workload kind of this program uses. */
export function podTemplate(cfg: StackConfig, opts: { hasLlmApiKey: boolean }) {
  const health = { path: cfg.probes.healthPath, port: PROBE_PORT, scheme: "HTTP" };
  const readinessPeriod = seconds(cfg.probes.readinessPeriod);
  const startupPeriod = 5;
  const spread = (topologyKey: string, mode: "required" | "preferred") => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: mode === "required" ? "DoNotSchedule" : "ScheduleAnyway",
    labelSelector: { matchLabels: selectorLabels(cfg) },
  });
  const secretEnv = (name: string, key: string, optional = false) => ({
    name,
    valueFrom: { secretKeyRef: { name: NAMES.secret, key, ...(optional ? { optional: true } : {}) } },
  });
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
      terminationGracePeriodSeconds: seconds(cfg.shutdown.terminationGracePeriod),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: RUN_AS,
        runAsGroup: RUN_AS,
        fsGroup: RUN_AS,
        seccompProfile: { type: "RuntimeDefault" },
      },
      topologySpreadConstraints: [
        spread("topology.kubernetes.io/zone", cfg.topology.zoneSpread),
        spread("kubernetes.io/hostname", cfg.topology.nodeSpread),
      ],
      containers: [
        {
          name: "api",
          image: cfg.image,
          imagePullPolicy: "IfNotPresent",
          ports: [{ name: PROBE_PORT, containerPort: cfg.app.port, protocol: "TCP" }],
          envFrom: [{ configMapRef: { name: NAMES.configMap } }],
          env: [
            secretEnv(SECRET_ENV.jwtSigningKey, SECRET_ENV.jwtSigningKey),
            secretEnv(SECRET_ENV.databaseUrl, SECRET_ENV.databaseUrl),
            ...(opts.hasLlmApiKey ? [secretEnv(SECRET_ENV.llmApiKey, SECRET_ENV.llmApiKey)] : []),
          ],
          resources: {
            requests: { ...cfg.resources.requests },
            limits: { ...cfg.resources.limits },
          },
          startupProbe: {
            httpGet: health,
            periodSeconds: startupPeriod,
            timeoutSeconds: 3,
            failureThreshold: Math.max(1, Math.ceil(seconds(cfg.probes.startupBudget) / startupPeriod)),
          },
          readinessProbe: {
            httpGet: health,
            periodSeconds: readinessPeriod,
            timeoutSeconds: Math.min(5, readinessPeriod),
            failureThreshold: 3,
            successThreshold: 1,
          },
          livenessProbe: {
            httpGet: health,
            periodSeconds: seconds(cfg.probes.livenessPeriod),
            timeoutSeconds: seconds(cfg.probes.livenessTimeout),
            failureThreshold: cfg.probes.livenessFailureThreshold,
          },
          lifecycle: {
            // The sleep action needs no shell in the image; SIGTERM follows it and reaches
            // the process through the image's init (dumb-init) (R-WL-4).
            preStop: { sleep: { seconds: seconds(cfg.shutdown.preStopDelay) } },
          },
          securityContext: hardenedContainer(),
          volumeMounts: [
            { name: "logs", mountPath: MOUNTS.logs },
            { name: "uploads", mountPath: MOUNTS.uploads },
            { name: "tmp", mountPath: MOUNTS.tmp },
            // Mounted as a directory (not subPath) so flag changes reach running pods
            // without a new pod template, hence without a rollout (R-PD-8).
            { name: "feature-flags", mountPath: FLAGS_MOUNT, readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: "logs", emptyDir: { sizeLimit: cfg.volumes.logsSizeLimit } },
        { name: "uploads", emptyDir: { sizeLimit: cfg.volumes.uploadsSizeLimit } },
        { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: cfg.volumes.tmpSizeLimit } },
        { name: "feature-flags", configMap: { name: NAMES.flags } },
      ],
    },
  };
}

export type PodTemplate = ReturnType<typeof podTemplate>;

/** Rolling update that never drops below the desired count (R-WL-5). */
export function rollingDeploymentSpec(cfg: StackConfig, template: PodTemplate) {
  return {
    // With an HPA the replica count belongs to the HPA: leaving it out avoids a
    // server-side-apply conflict on every `pulumi up`.
    ...(cfg.autoscaling.enabled ? {} : { replicas: cfg.replicas }),
    revisionHistoryLimit: 5,
    minReadySeconds: 10,
    progressDeadlineSeconds: 600,
    selector: { matchLabels: selectorLabels(cfg) },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    template,
  };
}

/** ClusterIP Service on port 80 to the API port: stable/active, preview and canary alike. */
export function serviceSpec(cfg: StackConfig) {
  return {
    type: "ClusterIP",
    selector: selectorLabels(cfg),
    ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
  };
}

/** autoscaling/v2 HPA spec (R-ENV-2, R-WL-5). */
export function hpaSpec(cfg: StackConfig, target: { apiVersion: string; kind: string; name: string }) {
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
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [
          { type: "Percent", value: 100, periodSeconds: 60 },
          { type: "Pods", value: 2, periodSeconds: 60 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: seconds(a.scaleDownStabilization),
        selectPolicy: "Min",
        policies: [{ type: "Pods", value: 1, periodSeconds: 60 }],
      },
    },
  };
}

/**
 * At most one pod voluntarily disrupted at a time (R-WL-5). With a single replica (dev)
 * this allows a node drain to proceed instead of blocking it forever.
 */
export function pdbSpec(cfg: StackConfig) {
  return { maxUnavailable: 1, selector: { matchLabels: selectorLabels(cfg) } };
}

/** The most pods the workload can run at once: HPA max (or replicas), doubled for a blue/green pair, plus surge. */
export function peakPods(cfg: StackConfig): number {
  const base = cfg.autoscaling.enabled ? cfg.autoscaling.maxReplicas : cfg.replicas;
  return base * 2 + 1;
}

function formatCores(cores: number): string {
  return Number.isInteger(cores) ? String(cores) : `${Math.ceil(cores * 1000)}m`;
}

function formatBytes(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20)}Mi`;
}

/** Namespace quota: peak platform pods plus room for jobs (migrations, backups, smoke tests). */
export function resourceQuotaSpec(cfg: StackConfig) {
  const pods = peakPods(cfg);
  const jobs = { pods: 6, cpu: 2, memory: 4 * 2 ** 30 };
  const r = cfg.resources;
  return {
    hard: {
      pods: String(pods + jobs.pods),
      "requests.cpu": formatCores(pods * parseQuantity(r.requests.cpu)! + jobs.cpu),
      "requests.memory": formatBytes(pods * parseQuantity(r.requests.memory)! + jobs.memory),
      "limits.cpu": formatCores(pods * parseQuantity(r.limits.cpu)! + jobs.cpu),
      "limits.memory": formatBytes(pods * parseQuantity(r.limits.memory)! + jobs.memory),
      "requests.storage": "0",
      persistentvolumeclaims: "0",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
    },
  };
}

/** Defaults for containers that state no resources (jobs), and a per-container ceiling. */
export function limitRangeSpec(cfg: StackConfig) {
  const r = cfg.resources;
  return {
    limits: [
      {
        type: "Container",
        defaultRequest: { cpu: "100m", memory: "128Mi" },
        default: { cpu: "500m", memory: "512Mi" },
        max: {
          cpu: formatCores(Math.max(2, parseQuantity(r.limits.cpu)!)),
          memory: formatBytes(Math.max(4 * 2 ** 30, parseQuantity(r.limits.memory)!)),
        },
      },
    ],
  };
}

/** Pod Security Admission labels: `restricted`, enforced, audited and warned (R-WL-7). */
export function namespaceLabels(cfg: StackConfig): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
    "agent-platform/environment": cfg.environment,
    "app.kubernetes.io/part-of": APP_NAME,
  };
}

const nsSelector = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

/**
 * NetworkPolicies (R-WL-7): deny everything by default, then allow only the traffic the
 * platform needs, each in its own named policy so `kubectl get netpol` reads as a list
 * of intentions.
 */
export function networkPolicies(cfg: StackConfig): Array<{ name: string; spec: k8s.types.input.networking.v1.NetworkPolicySpec }> {
  const pods = { matchLabels: selectorLabels(cfg) };
  const port = { protocol: "TCP", port: cfg.app.port };
  return [
    {
      name: "default-deny-all",
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    {
      name: "allow-api-ingress",
      spec: {
        podSelector: pods,
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              ...cfg.network.ingressNamespaces.map((ns) => ({ namespaceSelector: nsSelector(ns) })),
              // Same-namespace callers: smoke tests and analysis jobs of progressive delivery.
              { podSelector: {} },
            ],
            ports: [port],
          },
        ],
      },
    },
    {
      name: "allow-prometheus-scrape",
      spec: {
        podSelector: pods,
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: nsSelector(cfg.network.monitoringNamespace) }], ports: [port] }],
      },
    },
    {
      name: "allow-dns-egress",
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ namespaceSelector: nsSelector("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ],
      },
    },
    {
      name: "allow-database-egress",
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: cfg.network.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })),
            ports: [{ protocol: "TCP", port: cfg.network.databasePort }],
          },
        ],
      },
    },
    ...(cfg.network.egress.length === 0
      ? []
      : [
          {
            name: "allow-declared-egress",
            spec: {
              podSelector: pods,
              policyTypes: ["Egress"],
              egress: cfg.network.egress.map((e) => ({
                to: [{ ipBlock: { cidr: e.cidr, ...(e.except.length ? { except: e.except } : {}) } }],
                ports: e.ports.map((p) => ({ protocol: "TCP", port: p })),
              })),
            },
          },
        ]),
  ];
}
