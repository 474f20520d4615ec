// The Argo Rollouts controller's namespace (R-WL-9): restricted, deny by default, with
// the API server, the plugin download and the smoke test allowed.
import type { StackConfig } from "../../config/schema";
import { Policy, denyAll, dnsEgress, nsSelector, tcp } from "../isolation";
import { needsGatewayPlugin } from "../delivery/rollout";
import { selectorLabels } from "../labels";
import { ADDON_PODS, ADDON_PORTS } from "../names";
import { AddonArgs, OwnedNamespace, from, owned, pods } from "./common";


/** The Argo Rollouts controller's namespace: PSA restricted, and only the traffic the controller needs. */
export function controllerNamespace(cfg: AddonArgs): OwnedNamespace {
  const P = ADDON_PORTS;
  const policies: Policy[] = [
    denyAll,
    { name: "allow-dns-egress", why: "DNS to kube-dns (and NodeLocal DNSCache when configured)", spec: { podSelector: {}, policyTypes: ["Egress"], egress: [dnsEgress(cfg)] } },
    {
      name: "allow-controller-egress",
      why: `the controller to the API server, Prometheus (${P.prometheus}: analyses), the platform's pods (${cfg.app.port}: smoke tests)${needsGatewayPlugin(cfg) ? " and GitHub over HTTPS (the plugin download, checked by its sha256)" : ""}`,
      spec: {
        podSelector: pods(ADDON_PODS.rolloutsController),
        policyTypes: ["Egress"],
        egress: [
          { to: cfg.network.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(...P.apiServer) },
          { to: [from(cfg.monitoring.namespace, ADDON_PODS.prometheus)], ports: tcp(P.prometheus) },
          { to: [{ namespaceSelector: nsSelector(cfg.namespace), podSelector: { matchLabels: selectorLabels(cfg) } }], ports: tcp(cfg.app.port) },
          ...(needsGatewayPlugin(cfg) ? [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: cfg.network.privateRanges } }], ports: tcp(443) }] : []),
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
