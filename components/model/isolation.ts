// Pure model of the platform namespace's isolation (R-WL-7): Pod Security Admission
// labels, ResourceQuota, LimitRange and the deny-by-default NetworkPolicies.
import type * as k8s from "@pulumi/kubernetes";
import type { StackConfig } from "../config/schema";
import { formatCores, formatMebibytes } from "./format";
import { selectorLabels } from "./labels";
import { ADDON_PODS, APP_NAME, JOB_NAMES, MONITORED_NAMESPACE_LABEL } from "./names";

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

export type NetworkArgs = Pick<StackConfig, "environment" | "app" | "network" | "monitoring">;

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
    {
      name: "allow-database-egress",
      why: `the platform pods and the migration Job to ${cfg.network.databaseCidrs.join(", ")}:${cfg.network.databasePort}`,
      spec: {
        podSelector: {
          matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: [APP_NAME, JOB_NAMES.migration] }],
        },
        policyTypes: ["Egress"],
        egress: [
          {
            to: cfg.network.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })),
            ports: tcp(cfg.network.databasePort),
          },
        ],
      },
    },
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
