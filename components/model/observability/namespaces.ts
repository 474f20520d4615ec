// The namespaces of the logs-and-traces stack (R-OBS-4, R-WL-9): `observability`
// (gateway, Loki, Tempo) at `restricted`, and the log agent alone in a privileged one, the
// second privileged workload beside node-exporter, with its reason stated. Both deny by
// default; each allowance is named.
import type { StackConfig } from "../../config/schema";
import { Policy, denyAll, dnsEgress, nsSelector, tcp } from "../isolation";
import { ADDON_PODS, ADDON_PORTS } from "../names";
import { OwnedNamespace, owned, pods } from "../addons/common";
import { OBS, OBS_PODS } from "./names";

export type TelemetryNsArgs = Pick<StackConfig, "namespace" | "network" | "monitoring" | "observability">;

const dns = (cfg: TelemetryNsArgs): Policy => ({ name: "allow-dns-egress", why: "DNS to kube-dns (and NodeLocal DNSCache when configured)", spec: { podSelector: {}, policyTypes: ["Egress"], egress: [dnsEgress(cfg)] } });
const apiServer = (cfg: TelemetryNsArgs, who: Record<string, string>, why: string): Policy => ({
  name: "allow-apiserver-egress",
  why,
  spec: { podSelector: pods(who), policyTypes: ["Egress"], egress: [{ to: cfg.network.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(...ADDON_PORTS.apiServer) }] },
});
const scrapedBy = (cfg: TelemetryNsArgs, who: Record<string, string>, ports: number[]): Policy => ({
  name: "allow-prometheus-scrape",
  why: `Prometheus (${cfg.monitoring.namespace}) scrapes the collector's metrics (${ports.join(", ")})`,
  spec: { podSelector: pods(who), policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: nsSelector(cfg.monitoring.namespace), podSelector: pods(ADDON_PODS.prometheus) }], ports: tcp(...ports) }] },
});
/** HTTPS to S3 and STS on the internet, for the stores that keep their data there. */
const s3Egress = (cfg: TelemetryNsArgs): Policy[] =>
  cfg.observability.logs.storage === "s3" || cfg.observability.traces.storage === "s3"
    ? [
        {
          name: "allow-s3-egress",
          why: `Loki and Tempo to S3 and STS over HTTPS (443), not ${cfg.network.privateRanges.join(", ")}`,
          spec: {
            podSelector: { matchExpressions: [{ key: "app.kubernetes.io/instance", operator: "In", values: [OBS.lokiRelease, OBS.tempoRelease] }] },
            policyTypes: ["Egress"],
            egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: cfg.network.privateRanges } }], ports: tcp(443) }],
          },
        },
      ]
    : [];

export function telemetryNamespace(cfg: TelemetryNsArgs): OwnedNamespace {
  const o = cfg.observability;
  const ns = o.namespace;
  const grafana = { namespaceSelector: nsSelector(cfg.monitoring.namespace), podSelector: pods(ADDON_PODS.grafana) };
  return owned(ns, "restricted", [
    denyAll,
    dns(cfg),
    apiServer(cfg, OBS_PODS.gateway, "the gateway to the API server: the platform namespace's events, and pod attributes for spans"),
    scrapedBy(cfg, OBS_PODS.gateway, [OBS.collectorMetrics]),
    {
      name: "allow-otlp-ingress",
      why: `the platform pods (${cfg.namespace}) send traces to the gateway over OTLP (${OBS.otlpGrpc}, ${OBS.otlpHttp})`,
      spec: { podSelector: pods(OBS_PODS.gateway), policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: nsSelector(cfg.namespace) }], ports: tcp(OBS.otlpGrpc, OBS.otlpHttp) }] },
    },
    {
      name: "allow-gateway-egress",
      why: `the gateway to Tempo (${OBS.otlpGrpc}) and Loki (${OBS.lokiPort})`,
      spec: {
        podSelector: pods(OBS_PODS.gateway),
        policyTypes: ["Egress"],
        egress: [{ to: [{ podSelector: pods(OBS_PODS.tempo) }], ports: tcp(OBS.otlpGrpc) }, { to: [{ podSelector: pods(OBS_PODS.loki) }], ports: tcp(OBS.lokiPort) }],
      },
    },
    {
      name: "allow-loki-ingress",
      why: `Loki (${OBS.lokiPort}) from the agent (${o.agentNamespace}), the gateway and Grafana, nothing else`,
      spec: {
        podSelector: pods(OBS_PODS.loki),
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: nsSelector(o.agentNamespace), podSelector: pods(OBS_PODS.agent) }, { podSelector: pods(OBS_PODS.gateway) }, grafana], ports: tcp(OBS.lokiPort) }],
      },
    },
    {
      // The chart's Loki config always joins the ring through its headless memberlist
      // Service (values.yaml `loki.config`, `memberlist.join_members`), so the ring's gossip
      // is Loki to Loki; with one replica it is the pod to itself, which default-deny would
      // otherwise leave to the CNI's treatment of hairpin traffic.
      name: "allow-loki-memberlist",
      why: `Loki's ring gossip (${OBS.lokiMemberlist}) between Loki's own pods, nothing else`,
      spec: {
        podSelector: pods(OBS_PODS.loki),
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: pods(OBS_PODS.loki) }], ports: tcp(OBS.lokiMemberlist) }],
        egress: [{ to: [{ podSelector: pods(OBS_PODS.loki) }], ports: tcp(OBS.lokiMemberlist) }],
      },
    },
    {
      name: "allow-tempo-ingress",
      why: `Tempo: OTLP (${OBS.otlpGrpc}) from the gateway, queries (${OBS.tempoPort}) from Grafana`,
      spec: {
        podSelector: pods(OBS_PODS.tempo),
        policyTypes: ["Ingress"],
        ingress: [
          { from: [{ podSelector: pods(OBS_PODS.gateway) }], ports: tcp(OBS.otlpGrpc) },
          { from: [grafana], ports: tcp(OBS.tempoPort) },
        ],
      },
    },
    ...s3Egress(cfg),
  ]);
}

export function agentNamespace(cfg: TelemetryNsArgs): OwnedNamespace {
  const o = cfg.observability;
  return owned(
    o.agentNamespace,
    "privileged",
    [
      denyAll,
      dns(cfg),
      apiServer(cfg, OBS_PODS.agent, "the agent to the API server: the attributes of the pods whose logs it reads"),
      scrapedBy(cfg, OBS_PODS.agent, [OBS.collectorMetrics, OBS.logMetrics]),
      {
        name: "allow-loki-egress",
        why: `the agent to Loki (${o.namespace}, ${OBS.lokiPort}) only`,
        spec: { podSelector: pods(OBS_PODS.agent), policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: nsSelector(o.namespace), podSelector: pods(OBS_PODS.loki) }], ports: tcp(OBS.lokiPort) }] },
      },
    ],
    "the log agent reads every pod's log files from the host (/var/log/pods, hostPath) as root, the only way kubelet's files can be read; nothing else runs here",
  );
}
