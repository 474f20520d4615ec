// Pure model of the platform namespace's isolation (R-WL-7): Pod Security Admission
// labels, ResourceQuota, LimitRange and the deny-by-default NetworkPolicies.
import type * as k8s from "@pulumi/kubernetes";
import type { StackConfig } from "../config/schema";
import { containerResources, formatCores, formatMebibytes } from "./format";
import { selectorLabels } from "./labels";
import { ADDON_PODS, APP_NAME, JOB_NAMES, MONITORED_NAMESPACE_LABEL } from "./names";

/** The most pods the workload can run at once: HPA max (or replicas), doubled for a blue/green pair, plus surge. */
export function peakPods(cfg: Pick<StackConfig, "replicas" | "autoscaling">): number {
  const base = cfg.autoscaling.enabled ? cfg.autoscaling.maxReplicas : cfg.replicas;
  return base * 2 + 1;
}

/** Namespace quota: peak platform pods plus the Jobs' allowance, and the dev database where it runs in the cluster. */
export function resourceQuotaSpec(cfg: Pick<StackConfig, "replicas" | "autoscaling" | "resources" | "memoryStore" | "namespaceLimits">) {
  const pods = peakPods(cfg);
  const r = cfg.resources;
  const jobs = cfg.namespaceLimits.jobAllowance;
  const db = cfg.memoryStore.mode === "inCluster" ? cfg.memoryStore.inCluster : undefined;
  const dbValue = (kind: "requests" | "limits", res: "cpu" | "memory") => (db ? db.resources[kind][res].value : 0);
  return {
    hard: {
      pods: String(pods + jobs.pods + (db ? 1 : 0)),
      "requests.cpu": formatCores(pods * r.requests.cpu.value + jobs.cpu.value + dbValue("requests", "cpu")),
      "requests.memory": formatMebibytes(pods * r.requests.memory.value + jobs.memory.value + dbValue("requests", "memory")),
      "limits.cpu": formatCores(pods * r.limits.cpu.value + jobs.cpu.value + dbValue("limits", "cpu")),
      "limits.memory": formatMebibytes(pods * r.limits.memory.value + jobs.memory.value + dbValue("limits", "memory")),
      // Only the dev database keeps data in the namespace (R-WL-8).
      "requests.storage": db ? db.storage.text : "0",
      persistentvolumeclaims: db ? "1" : "0",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
    },
  };
}

/** Defaults for containers that state no resources, and a per-container ceiling no lower than the API's limits. */
export function limitRangeSpec(cfg: Pick<StackConfig, "resources" | "namespaceLimits">) {
  const r = cfg.resources;
  const { containerDefaults: d, containerMax: max } = cfg.namespaceLimits;
  return {
    limits: [
      {
        type: "Container",
        defaultRequest: containerResources(d).requests,
        default: containerResources(d).limits,
        max: {
          cpu: formatCores(Math.max(max.cpu.value, r.limits.cpu.value)),
          memory: formatMebibytes(Math.max(max.memory.value, r.limits.memory.value)),
        },
      },
    ],
  };
}

export type PsaLevel = "restricted" | "baseline" | "privileged";

/** Pod Security Admission labels at one level, enforced, audited and warned. */
export function psaLabels(level: PsaLevel): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": level,
    "pod-security.kubernetes.io/warn": level,
  };
}

/** The platform namespace's labels: PSA `restricted` (R-WL-7), selected by Prometheus (R-WL-9). */
export function namespaceLabels(cfg: Pick<StackConfig, "environment">): Record<string, string> {
  return {
    ...psaLabels("restricted"),
    ...MONITORED_NAMESPACE_LABEL,
    "agent-platform/environment": cfg.environment,
    "app.kubernetes.io/part-of": APP_NAME,
  };
}

export const nsSelector = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

type Spec = k8s.types.input.networking.v1.NetworkPolicySpec;
type Rule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

/** A NetworkPolicy with the intent it states (the render's privileges summary prints it). */
export interface Policy {
  name: string;
  why: string;
  spec: Spec;
}

export const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP", port }));

/** DNS egress: the cluster DNS, and NodeLocal DNSCache where the cluster runs it. */
export function dnsEgress(cfg: Pick<StackConfig, "network">): Rule {
  return {
    to: [
      { namespaceSelector: nsSelector("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } },
      ...(cfg.network.nodeLocalDns ? [{ ipBlock: { cidr: `${cfg.network.nodeLocalDns}/32` } }] : []),
    ],
    ports: [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ],
  };
}

export const denyAll: Policy = { name: "default-deny-all", why: "nothing in or out unless a policy below allows it", spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } };

export type NetworkArgs = Pick<StackConfig, "environment" | "app" | "network" | "monitoring" | "memoryStore" | "backups">;

/** Pods that connect to the memory store: the platform, its migrations, the role bootstrap and the backup Jobs. */
export function databaseClients(cfg: Pick<StackConfig, "memoryStore" | "backups">): string[] {
  return [
    APP_NAME,
    JOB_NAMES.migration,
    ...(cfg.memoryStore.mode === "external" ? [] : [JOB_NAMES.bootstrap]),
    ...backupJobs(cfg),
  ];
}

/** The backup Jobs' pods: the export, the restore and (when it runs) the drill. */
export function backupJobs(cfg: Pick<StackConfig, "backups">): string[] {
  if (!cfg.backups.enabled) return [];
  return [JOB_NAMES.export, JOB_NAMES.restore, ...(cfg.backups.drill.enabled ? [JOB_NAMES.drill] : [])];
}

/**
 * NetworkPolicies of the platform namespace (R-WL-7): deny everything by default, then
 * allow only the traffic the platform needs, each in its own named policy so
 * `kubectl get netpol` reads as a list of intentions.
 */
export function networkPolicies(cfg: NetworkArgs): Policy[] {
  const pods = { matchLabels: selectorLabels(cfg) };
  const port = tcp(cfg.app.port);
  return [
    denyAll,
    {
      name: "allow-api-ingress",
      why: `API port ${cfg.app.port} from the gateway namespaces (${cfg.network.ingressNamespaces.join(", ")})`,
      spec: {
        podSelector: pods,
        policyTypes: ["Ingress"],
        ingress: [{ from: cfg.network.ingressNamespaces.map((ns) => ({ namespaceSelector: nsSelector(ns) })), ports: port }],
      },
    },
    {
      name: "allow-prometheus-scrape",
      why: `port ${cfg.app.port} from Prometheus (/metrics) and the blackbox exporter (probes) in ${cfg.monitoring.namespace}, nothing else there`,
      spec: {
        podSelector: pods,
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [ADDON_PODS.prometheus, ADDON_PODS.blackbox].map((labels) => ({
              namespaceSelector: nsSelector(cfg.monitoring.namespace),
              podSelector: { matchLabels: { ...labels } },
            })),
            ports: port,
          },
        ],
      },
    },
    { name: "allow-dns-egress", why: "DNS to kube-dns (and NodeLocal DNSCache when configured)", spec: { podSelector: {}, policyTypes: ["Egress"], egress: [dnsEgress(cfg)] } },
    databaseEgress(cfg),
    ...(cfg.memoryStore.mode === "inCluster" ? [postgresIngress(cfg)] : []),
    ...(cfg.backups.enabled ? [backupEgress(cfg)] : []),
    ...(cfg.network.egress.length === 0
      ? []
      : [
          {
            name: "allow-declared-egress",
            why: `the platform pods to ${cfg.network.egress.map((e) => `${e.cidr}${e.except.length ? ` (except ${e.except.join(", ")})` : ""}:${e.ports.join(",")}`).join("; ")}`,
            spec: {
              podSelector: pods,
              policyTypes: ["Egress"],
              egress: cfg.network.egress.map((e) => ({
                to: [{ ipBlock: { cidr: e.cidr, ...(e.except.length ? { except: e.except } : {}) } }],
                ports: tcp(...e.ports),
              })),
            },
          },
        ]),
  ];
}

const clientSelector = (cfg: Pick<StackConfig, "memoryStore" | "backups">) => ({
  matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: databaseClients(cfg) }],
});

/** Database egress: only the database's clients, only to the database (RDS's CIDRs, or the in-cluster pod). */
function databaseEgress(cfg: NetworkArgs): Policy {
  const clients = databaseClients(cfg).join(", ");
  if (cfg.memoryStore.mode === "inCluster") {
    return {
      name: "allow-database-egress",
      why: `${clients} to the in-cluster PostgreSQL (${JOB_NAMES.postgres}:${cfg.memoryStore.port})`,
      spec: {
        podSelector: clientSelector(cfg),
        policyTypes: ["Egress"],
        egress: [{ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": JOB_NAMES.postgres } } }], ports: tcp(cfg.memoryStore.port) }],
      },
    };
  }
  return {
    name: "allow-database-egress",
    why: `${clients} to ${cfg.network.databaseCidrs.join(", ")}:${cfg.network.databasePort}`,
    spec: {
      podSelector: clientSelector(cfg),
      policyTypes: ["Egress"],
      egress: [{ to: cfg.network.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(cfg.network.databasePort) }],
    },
  };
}

/** The in-cluster PostgreSQL (dev) admits its clients only. */
function postgresIngress(cfg: NetworkArgs): Policy {
  return {
    name: "allow-postgres-ingress",
    why: `PostgreSQL (${cfg.memoryStore.port}) from ${databaseClients(cfg).join(", ")} only`,
    spec: {
      podSelector: { matchLabels: { "app.kubernetes.io/name": JOB_NAMES.postgres } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: clientSelector(cfg) }], ports: tcp(cfg.memoryStore.port) }],
    },
  };
}

/** The backup Jobs' pods reach S3 and STS over HTTPS, never the private ranges. */
function backupEgress(cfg: NetworkArgs): Policy {
  return {
    name: "allow-backup-egress",
    why: `${backupJobs(cfg).join(", ")} to S3 and STS over HTTPS (443), not ${cfg.network.privateRanges.join(", ")}`,
    spec: {
      podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: backupJobs(cfg) }] },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: cfg.network.privateRanges } }], ports: tcp(443) }],
    },
  };
}
