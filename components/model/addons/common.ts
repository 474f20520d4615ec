// What the add-on namespaces share (R-WL-9): the owned-namespace shape and the
// selectors and API-server egress their policies are built from.
import type { StackConfig } from "../../config/schema";
import { Policy, PsaLevel, nsSelector, psaLabels, tcp } from "../isolation";
import { ADDON_PORTS, APP_NAME, MONITORED_NAMESPACE_LABEL } from "../names";

export interface OwnedNamespace {
  name: string;
  psa: PsaLevel;
  /** Why the level is not `restricted`, where it is not. */
  reason?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  policies: Policy[];
}

export type AddonArgs = Pick<StackConfig, "environment" | "namespace" | "app" | "network" | "monitoring" | "alerting" | "delivery">;

export const pods = (labels: Record<string, string>) => ({ matchLabels: { ...labels } });

export const from = (namespace: string, labels: Record<string, string>) => ({ namespaceSelector: nsSelector(namespace), podSelector: pods(labels) });

export function owned(name: string, psa: PsaLevel, policies: Policy[], reason?: string): OwnedNamespace {
  return {
    name,
    psa,
    reason,
    labels: { ...psaLabels(psa), ...MONITORED_NAMESPACE_LABEL, "app.kubernetes.io/part-of": APP_NAME },
    annotations: reason ? { "agent-platform/pod-security-reason": reason } : {},
    policies,
  };
}

/** API server egress for the pods that watch the API (every add-on but Alertmanager and the blackbox exporter). */
export function apiServerEgress(cfg: AddonArgs, except: Array<Record<string, string>>): Policy {
  return {
    name: "allow-apiserver-egress",
    why: `the API server (${cfg.network.apiServerCidrs.join(", ")}) for the pods that watch it; not ${except.map((e) => Object.values(e)[0]).join(", ")}`,
    spec: {
      podSelector: {
        matchExpressions: [{ key: "app.kubernetes.io/name", operator: "NotIn", values: except.map((e) => Object.values(e)[0]) }],
      },
      policyTypes: ["Egress"],
      egress: [{ to: cfg.network.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(...ADDON_PORTS.apiServer) }],
    },
  };
}
