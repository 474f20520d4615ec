// Least privilege for the add-ons (R-WL-9): the namespaces the program owns besides the
// platform's (monitoring, node-exporter, the Argo Rollouts controller), their Pod Security
// levels with the reason for any exception, and their deny-by-default NetworkPolicies
// with each allowance stated. components/monitoring.ts and components/delivery.ts declare
// them; the render prints them as the privileges summary.
import type { StackConfig } from "../config/schema";
import { Policy, PsaLevel, denyAll, dnsEgress, nsSelector, psaLabels, tcp } from "./isolation";
import { selectorLabels } from "./labels";
import { ADDON_PODS, ADDON_PORTS, APP_NAME, MONITORED_NAMESPACE_LABEL } from "./names";

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

const pods = (labels: Record<string, string>) => ({ matchLabels: { ...labels } });
const from = (namespace: string, labels: Record<string, string>) => ({ namespaceSelector: nsSelector(namespace), podSelector: pods(labels) });

function owned(name: string, psa: PsaLevel, policies: Policy[], reason?: string): OwnedNamespace {
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
function apiServerEgress(cfg: AddonArgs, except: Array<Record<string, string>>): Policy {
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

/** The SMTP relay's port (receivers.smarthost is host:port). */
const smtpPort = (cfg: AddonArgs) => Number(cfg.alerting.receivers.smarthost.split(":").pop());

/**
 * The monitoring namespace: PSA restricted (every pod there is made to meet it, see
 * monitoring.ts), and policies by component: Alertmanager only from Prometheus and its
 * peers, Prometheus only from Grafana and the Argo controller, Grafana only from its
 * ingress path, the blackbox exporter only from Prometheus.
 */
export function monitoringNamespace(cfg: AddonArgs): OwnedNamespace {
  const ns = cfg.monitoring.namespace;
  const P = ADDON_PORTS;
  const internet = (ports: number[]) => ({
    to: [
      { ipBlock: { cidr: "0.0.0.0/0", except: cfg.network.privateRanges } },
      ...cfg.monitoring.alertmanager.internalReceiverCidrs.map((cidr) => ({ ipBlock: { cidr } })),
    ],
    ports: tcp(...ports),
  });
  const policies: Policy[] = [
    denyAll,
    { name: "allow-dns-egress", why: "DNS to kube-dns (and NodeLocal DNSCache when configured)", spec: { podSelector: {}, policyTypes: ["Egress"], egress: [dnsEgress(cfg)] } },
    apiServerEgress(cfg, [ADDON_PODS.alertmanager, ADDON_PODS.blackbox]),
    {
      name: "allow-prometheus-ingress",
      why: `Prometheus (${P.prometheus}) from Grafana and from the Argo Rollouts controller (${cfg.delivery.controllerNamespace}), nothing else`,
      spec: {
        podSelector: pods(ADDON_PODS.prometheus),
        policyTypes: ["Ingress"],
        ingress: [{ from: [from(ns, ADDON_PODS.grafana), from(cfg.delivery.controllerNamespace, ADDON_PODS.rolloutsController)], ports: tcp(P.prometheus) }],
      },
    },
    {
      name: "allow-prometheus-scrape-egress",
      why: `Prometheus to the pods it scrapes in every namespace, to Alertmanager, and to kubelet (${P.kubelet}) and node-exporter (${P.nodeExporter}) on the nodes (${cfg.network.nodeCidrs.join(", ")})`,
      spec: {
        podSelector: pods(ADDON_PODS.prometheus),
        policyTypes: ["Egress"],
        egress: [
          { to: [{ namespaceSelector: {} }] },
          { to: cfg.network.nodeCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(P.kubelet, P.nodeExporter) },
        ],
      },
    },
    {
      name: "allow-alertmanager-ingress",
      why: `Alertmanager's API (${P.alertmanager}) from Prometheus only; its cluster port (${P.alertmanagerCluster}) from its peers`,
      spec: {
        podSelector: pods(ADDON_PODS.alertmanager),
        policyTypes: ["Ingress"],
        ingress: [
          { from: [from(ns, ADDON_PODS.prometheus)], ports: tcp(P.alertmanager) },
          { from: [from(ns, ADDON_PODS.alertmanager)], ports: [...tcp(P.alertmanagerCluster), { protocol: "UDP", port: P.alertmanagerCluster }] },
        ],
      },
    },
    {
      name: "allow-alertmanager-egress",
      why: `Alertmanager to its peers, and to the receivers over HTTPS and SMTP (${smtpPort(cfg)}) on the internet (not ${cfg.network.privateRanges.join(", ")})${cfg.monitoring.alertmanager.internalReceiverCidrs.length ? ` and ${cfg.monitoring.alertmanager.internalReceiverCidrs.join(", ")}` : ""}`,
      spec: {
        podSelector: pods(ADDON_PODS.alertmanager),
        policyTypes: ["Egress"],
        egress: [
          { to: [{ podSelector: pods(ADDON_PODS.alertmanager) }], ports: [...tcp(P.alertmanagerCluster), { protocol: "UDP", port: P.alertmanagerCluster }] },
          internet([443, smtpPort(cfg)]),
        ],
      },
    },
    {
      name: "allow-grafana-ingress",
      why: `Grafana (${P.grafana}) from its ingress path (${cfg.monitoring.grafana.ingressNamespaces.join(", ")}) only`,
      spec: {
        podSelector: pods(ADDON_PODS.grafana),
        policyTypes: ["Ingress"],
        ingress: [{ from: cfg.monitoring.grafana.ingressNamespaces.map((n) => ({ namespaceSelector: nsSelector(n) })), ports: tcp(P.grafana) }],
      },
    },
    {
      name: "allow-grafana-egress",
      why: "Grafana to Prometheus only (its data source)",
      spec: { podSelector: pods(ADDON_PODS.grafana), policyTypes: ["Egress"], egress: [{ to: [{ podSelector: pods(ADDON_PODS.prometheus) }], ports: tcp(P.prometheus) }] },
    },
    {
      name: "allow-blackbox-ingress",
      why: `the blackbox exporter (${P.blackbox}) from Prometheus only: no open request relay`,
      spec: { podSelector: pods(ADDON_PODS.blackbox), policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: pods(ADDON_PODS.prometheus) }], ports: tcp(P.blackbox) }] },
    },
    {
      name: "allow-blackbox-egress",
      why: `the blackbox exporter to the platform's pods (${cfg.namespace}, port ${cfg.app.port}) only`,
      spec: {
        podSelector: pods(ADDON_PODS.blackbox),
        policyTypes: ["Egress"],
        egress: [{ to: [{ namespaceSelector: nsSelector(cfg.namespace), podSelector: { matchLabels: selectorLabels(cfg) } }], ports: tcp(cfg.app.port) }],
      },
    },
    {
      name: "allow-kube-state-metrics-ingress",
      why: "kube-state-metrics from Prometheus only",
      spec: {
        podSelector: pods(ADDON_PODS.kubeStateMetrics),
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: pods(ADDON_PODS.prometheus) }], ports: tcp(...P.kubeStateMetrics) }],
      },
    },
    {
      name: "allow-operator-ingress",
      why: `the operator's webhook and metrics port (${P.operator}) from the API server and Prometheus`,
      spec: {
        podSelector: pods(ADDON_PODS.operator),
        policyTypes: ["Ingress"],
        ingress: [{ from: [...cfg.network.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), { podSelector: pods(ADDON_PODS.prometheus) }], ports: tcp(P.operator) }],
      },
    },
  ];
  return owned(ns, "restricted", policies);
}

/** node-exporter reads the host: the one namespace that allows privileged pods. */
export function nodeExporterNamespace(cfg: AddonArgs): OwnedNamespace {
  return owned(
    cfg.monitoring.nodeExporterNamespace,
    "privileged",
    [denyAll],
    "node-exporter uses the host's network and PID namespaces and mounts /, /proc and /sys read-only to report node metrics; nothing else runs here",
  );
}

/** Whether this stack installs the controller with the Gateway API plugin (it downloads it). */
const downloadsPlugin = (cfg: AddonArgs) =>
  cfg.delivery.installController && cfg.delivery.strategy === "canary" && cfg.delivery.trafficRouter === "gatewayApi";

/** The Argo Rollouts controller's namespace: PSA restricted, and only the traffic the controller needs. */
export function controllerNamespace(cfg: AddonArgs): OwnedNamespace {
  const P = ADDON_PORTS;
  const policies: Policy[] = [
    denyAll,
    { name: "allow-dns-egress", why: "DNS to kube-dns (and NodeLocal DNSCache when configured)", spec: { podSelector: {}, policyTypes: ["Egress"], egress: [dnsEgress(cfg)] } },
    {
      name: "allow-controller-egress",
      why: `the controller to the API server, Prometheus (${P.prometheus}: analyses), the platform's pods (${cfg.app.port}: smoke tests)${downloadsPlugin(cfg) ? " and GitHub over HTTPS (the plugin download, checked by its sha256)" : ""}`,
      spec: {
        podSelector: pods(ADDON_PODS.rolloutsController),
        policyTypes: ["Egress"],
        egress: [
          { to: cfg.network.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(...P.apiServer) },
          { to: [from(cfg.monitoring.namespace, ADDON_PODS.prometheus)], ports: tcp(P.prometheus) },
          { to: [{ namespaceSelector: nsSelector(cfg.namespace), podSelector: { matchLabels: selectorLabels(cfg) } }], ports: tcp(cfg.app.port) },
          ...(downloadsPlugin(cfg) ? [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: cfg.network.privateRanges } }], ports: tcp(443) }] : []),
        ],
      },
    },
    {
      name: "allow-controller-metrics-ingress",
      why: `the controller's metrics (${P.rolloutsMetrics}) from Prometheus only`,
      spec: { podSelector: pods(ADDON_PODS.rolloutsController), policyTypes: ["Ingress"], ingress: [{ from: [from(cfg.monitoring.namespace, ADDON_PODS.prometheus)], ports: tcp(P.rolloutsMetrics) }] },
    },
  ];
  return owned(cfg.delivery.controllerNamespace, "restricted", policies);
}

export type ClusterAddonArgs = AddonArgs & Pick<StackConfig, "cluster">;

/**
 * metrics-server's namespace (R-ENV-14, R-WL-9): PSA restricted (the chart's security
 * context meets it), reached by the API server (the metrics.k8s.io APIService), reaching
 * the kubelets it scrapes and the API server.
 */
export function metricsServerNamespace(cfg: ClusterAddonArgs): OwnedNamespace {
  const P = ADDON_PORTS;
  const apiServer = cfg.network.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const policies: Policy[] = [
    denyAll,
    {
      name: "allow-apiserver-ingress",
      why: `metrics-server's port (${P.metricsServer}) from the API server (${cfg.network.apiServerCidrs.join(", ")}), which serves metrics.k8s.io through it`,
      spec: { podSelector: pods(ADDON_PODS.metricsServer), policyTypes: ["Ingress"], ingress: [{ from: apiServer, ports: tcp(P.metricsServer) }] },
    },
    {
      name: "allow-metrics-server-egress",
      why: `metrics-server to the kubelets (${P.kubelet}) on the nodes (${cfg.network.nodeCidrs.join(", ")}) and to the API server`,
      spec: {
        podSelector: pods(ADDON_PODS.metricsServer),
        policyTypes: ["Egress"],
        egress: [
          { to: cfg.network.nodeCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(P.kubelet) },
          { to: apiServer, ports: tcp(...P.apiServer) },
        ],
      },
    },
  ];
  return owned(cfg.cluster.metricsServer.namespace, "restricted", policies);
}

/**
 * The namespace of the Gateway this stack declares (R-ENV-14, R-WL-9): PSA restricted;
 * the listener's port from anywhere and the platform's API port as the only backend. An
 * implementation that runs its proxies in the Gateway's namespace may need more (docs/cluster.md).
 */
export function gatewayNamespace(cfg: ClusterAddonArgs): OwnedNamespace {
  const g = cfg.cluster.gateway;
  const policies: Policy[] = [
    denyAll,
    { name: "allow-dns-egress", why: "DNS to kube-dns (and NodeLocal DNSCache when configured)", spec: { podSelector: {}, policyTypes: ["Egress"], egress: [dnsEgress(cfg)] } },
    {
      name: "allow-listener-ingress",
      why: `the Gateway's ${g.protocol} listener (${g.port}) from anywhere: it is the public entry`,
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ ports: tcp(g.port) }] },
    },
    {
      name: "allow-platform-egress",
      why: `the Gateway's proxies to the platform's pods (${cfg.namespace}, port ${cfg.app.port}) only`,
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [{ namespaceSelector: nsSelector(cfg.namespace), podSelector: { matchLabels: selectorLabels(cfg) } }], ports: tcp(cfg.app.port) }],
      },
    },
  ];
  return owned(cfg.delivery.gateway.namespace, "restricted", policies);
}

export interface ClusterAccess {
  who: string;
  scope: string;
  secrets: "none" | "own namespace" | "cluster-wide";
  why: string;
}

/**
 * What the add-ons get from their charts' RBAC with our values (R-WL-9): the render's
 * privileges summary prints it, so a reviewer sees every cluster-wide grant and its reason.
 */
export function clusterAccess(cfg: Pick<StackConfig, "monitoring" | "delivery"> & Partial<Pick<StackConfig, "cluster">>): ClusterAccess[] {
  const out: ClusterAccess[] = [];
  if (cfg.monitoring.install) {
    out.push(
      { who: "prometheus-operator", scope: "ClusterRole", secrets: "cluster-wide", why: "writes the generated Prometheus/Alertmanager config Secrets and reads the credentials monitors reference (chart RBAC; no narrower mode)" },
      { who: "prometheus", scope: "ClusterRole", secrets: "none", why: "discovers scrape targets: nodes, pods, services, endpoints" },
      { who: "kube-state-metrics", scope: "ClusterRole", secrets: "none", why: "lists the objects it reports on; the secrets collector is off" },
      { who: "grafana", scope: `Role in ${cfg.monitoring.namespace}`, secrets: "none", why: "its sidecars read dashboard and data-source ConfigMaps there only" },
      { who: "node-exporter, blackbox exporter", scope: "none", secrets: "none", why: "no Kubernetes API access (no token mounted for the blackbox exporter)" },
    );
  }
  if (cfg.delivery.installController && cfg.delivery.strategy !== "rolling") {
    out.push({
      who: "argo-rollouts controller",
      scope: "ClusterRole",
      secrets: "cluster-wide",
      why: "reads Secrets that analyses and notifications reference in the Rollouts' namespaces (chart RBAC; clusterInstall); its plugin binary is pinned by sha256",
    });
  }
  if (cfg.cluster?.metricsServer.install) {
    out.push({
      who: "metrics-server",
      scope: "ClusterRole",
      secrets: "none",
      why: "reads nodes' and pods' resource usage from the kubelets (nodes/metrics) for metrics.k8s.io; delegates authentication to the API server (chart RBAC)",
    });
  }
  return out;
}

/** In the platform namespace: the controller's smoke test may reach the new pods' port (R-PD-7). */
export function controllerSmokeTestPolicy(cfg: Pick<StackConfig, "environment" | "app" | "delivery">): Policy {
  return {
    name: "allow-rollouts-controller",
    why: `port ${cfg.app.port} from the Argo Rollouts controller (${cfg.delivery.controllerNamespace}): the smoke test before traffic`,
    spec: {
      podSelector: { matchLabels: selectorLabels(cfg) },
      policyTypes: ["Ingress"],
      ingress: [{ from: [from(cfg.delivery.controllerNamespace, ADDON_PODS.rolloutsController)], ports: tcp(cfg.app.port) }],
    },
  };
}
