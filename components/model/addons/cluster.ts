// The namespaces of the cluster prerequisites the stack may install (R-ENV-14, R-WL-9):
// metrics-server and the Gateway.
import type { StackConfig } from "../../config/schema";
import { Policy, denyAll, dnsEgress, nsSelector, tcp } from "../isolation";
import { selectorLabels } from "../labels";
import { ADDON_PODS, ADDON_PORTS } from "../names";
import { AddonArgs, OwnedNamespace, owned, pods } from "./common";

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
