// Pure model of the platform namespace's isolation (R-WL-7): Pod Security Admission
// labels, ResourceQuota, LimitRange and the deny-by-default NetworkPolicies.
import type * as k8s from "@pulumi/kubernetes";
import type { StackConfig } from "../config/schema";
import { formatCores, formatMebibytes } from "./format";
import { selectorLabels } from "./labels";
import { APP_NAME } from "./names";

/** The most pods the workload can run at once: HPA max (or replicas), doubled for a blue/green pair, plus surge. */
export function peakPods(cfg: Pick<StackConfig, "replicas" | "autoscaling">): number {
  const base = cfg.autoscaling.enabled ? cfg.autoscaling.maxReplicas : cfg.replicas;
  return base * 2 + 1;
}

/** Room in the quota for jobs (migrations, exports, smoke tests) next to the platform pods. */
const JOB_ALLOWANCE = { pods: 6, cpu: 2, memory: 4 * 2 ** 30 };

/** Namespace quota: peak platform pods plus room for jobs. */
export function resourceQuotaSpec(cfg: Pick<StackConfig, "replicas" | "autoscaling" | "resources">) {
  const pods = peakPods(cfg);
  const r = cfg.resources;
  return {
    hard: {
      pods: String(pods + JOB_ALLOWANCE.pods),
      "requests.cpu": formatCores(pods * r.requests.cpu.value + JOB_ALLOWANCE.cpu),
      "requests.memory": formatMebibytes(pods * r.requests.memory.value + JOB_ALLOWANCE.memory),
      "limits.cpu": formatCores(pods * r.limits.cpu.value + JOB_ALLOWANCE.cpu),
      "limits.memory": formatMebibytes(pods * r.limits.memory.value + JOB_ALLOWANCE.memory),
      "requests.storage": "0",
      persistentvolumeclaims: "0",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
    },
  };
}

/** Defaults for containers that state no resources (jobs), and a per-container ceiling. */
export function limitRangeSpec(cfg: Pick<StackConfig, "resources">) {
  const r = cfg.resources;
  return {
    limits: [
      {
        type: "Container",
        defaultRequest: { cpu: "100m", memory: "128Mi" },
        default: { cpu: "500m", memory: "512Mi" },
        max: {
          cpu: formatCores(Math.max(2, r.limits.cpu.value)),
          memory: formatMebibytes(Math.max(4 * 2 ** 30, r.limits.memory.value)),
        },
      },
    ],
  };
}

/** Pod Security Admission labels at one level, enforced, audited and warned. */
export function psaLabels(level: "restricted" | "baseline" | "privileged"): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": level,
    "pod-security.kubernetes.io/warn": level,
  };
}

/** The platform namespace's labels: PSA `restricted` (R-WL-7). */
export function namespaceLabels(cfg: Pick<StackConfig, "environment">): Record<string, string> {
  return {
    ...psaLabels("restricted"),
    "agent-platform/environment": cfg.environment,
    "app.kubernetes.io/part-of": APP_NAME,
  };
}

export const nsSelector = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

export type NetworkArgs = Pick<StackConfig, "environment" | "app" | "network" | "monitoring">;

/**
 * NetworkPolicies (R-WL-7): deny everything by default, then allow only the traffic the
 * platform needs, each in its own named policy so `kubectl get netpol` reads as a list
 * of intentions.
 */
export function networkPolicies(cfg: NetworkArgs): Array<{ name: string; spec: k8s.types.input.networking.v1.NetworkPolicySpec }> {
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
        ingress: [{ from: [{ namespaceSelector: nsSelector(cfg.monitoring.namespace) }], ports: [port] }],
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
