// The monitoring namespaces (R-WL-9): `monitoring` (restricted) and the node exporter's
// (the only privileged one), with each allowance of their NetworkPolicies stated.
import { Policy, denyAll, dnsEgress, nsSelector, tcp } from "../isolation";
import { selectorLabels } from "../labels";
import { ADDON_PODS, ADDON_PORTS } from "../names";
import { AddonArgs, OwnedNamespace, apiServerEgress, from, owned, pods } from "./common";

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
