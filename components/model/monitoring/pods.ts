// The pods the monitoring charts run, as the privileges summary and the pod-security
// tests read them (R-WL-9).
import type { StackConfig } from "../../config/schema";
import { MonitoringArgs } from "./scraping";
import { blackboxValues, kubePrometheusStackValues } from "./values";

export interface AddonPod {
  namespace: string;
  component: string;
  /** The pod security context as the values set it. */
  pod: Record<string, unknown>;
  /** Container security contexts as the values set them; "operator" where prometheus-operator sets them. */
  containers: Array<{ name: string; securityContext: Record<string, unknown> | "operator" }>;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostPathVolumes?: boolean;
}

/**
 * Every pod the monitoring charts run, with the security settings our values give it:
 * what PSA admits or refuses in each namespace. (node-exporter's host access comes with
 * its chart; it is listed so the privileged namespace has a reason on record.)
 */
export function monitoringPods(cfg: MonitoringArgs & Pick<StackConfig, "cluster">): AddonPod[] {
  const v = kubePrometheusStackValues(cfg);
  const ns = cfg.monitoring.namespace;
  const bb = blackboxValues(cfg);
  return [
    { namespace: ns, component: "prometheus-operator", pod: v.prometheusOperator.securityContext, containers: [{ name: "prometheus-operator", securityContext: v.prometheusOperator.containerSecurityContext }] },
    {
      namespace: ns,
      component: "admission-webhook-jobs",
      pod: v.prometheusOperator.admissionWebhooks.patch.securityContext,
      containers: [
        { name: "create", securityContext: v.prometheusOperator.admissionWebhooks.createSecretJob.securityContext },
        { name: "patch", securityContext: v.prometheusOperator.admissionWebhooks.patchWebhookJob.securityContext },
      ],
    },
    { namespace: ns, component: "prometheus", pod: v.prometheus.prometheusSpec.securityContext, containers: [{ name: "prometheus", securityContext: "operator" }, { name: "config-reloader", securityContext: "operator" }] },
    { namespace: ns, component: "alertmanager", pod: v.alertmanager.alertmanagerSpec.securityContext, containers: [{ name: "alertmanager", securityContext: "operator" }, { name: "config-reloader", securityContext: "operator" }] },
    {
      namespace: ns,
      component: "grafana",
      pod: v.grafana.securityContext,
      containers: [
        { name: "grafana", securityContext: v.grafana.containerSecurityContext },
        { name: "grafana-sc-dashboard", securityContext: v.grafana.sidecar.securityContext },
        { name: "grafana-sc-datasources", securityContext: v.grafana.sidecar.securityContext },
      ],
    },
    { namespace: ns, component: "kube-state-metrics", pod: v["kube-state-metrics"].securityContext, containers: [{ name: "kube-state-metrics", securityContext: v["kube-state-metrics"].containerSecurityContext }] },
    ...(cfg.monitoring.installBlackboxExporter
      ? [{ namespace: ns, component: "blackbox-exporter", pod: bb.podSecurityContext, containers: [{ name: "blackbox-exporter", securityContext: bb.securityContext }] }]
      : []),
    {
      namespace: cfg.monitoring.nodeExporterNamespace,
      component: "node-exporter",
      pod: {},
      containers: [{ name: "node-exporter", securityContext: {} }],
      hostNetwork: true,
      hostPID: true,
      hostPathVolumes: true,
    },
  ];
}
