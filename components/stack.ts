// createStack: the composition root shared by `pulumi up`, the render command and the
// tests. It takes a validated StackConfig and declares every component.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import { Isolation } from "./isolation";
import { DeliveryPlan, deliveryPlan } from "./model/delivery";
import { alertCatalogue } from "./model/alerts";
import { AlertRules, Dashboards, MonitoringStack, Scraping } from "./monitoring";
import { AgentPlatform } from "./platform";

export interface StackOutputs {
  environment: string;
  namespace: pulumi.Output<string>;
  serviceName: pulumi.Output<string>;
  serviceUrl: pulumi.Output<string>;
  workload: pulumi.Output<string>;
  replicas: string;
  /** The delivery strategy, canary stages and worst-case rollback times (R-PD). */
  deliveryPlan: DeliveryPlan;
  monitoring: {
    installed: boolean;
    prometheusRule: pulumi.Output<string>;
    alerts: Record<string, number>;
    dashboards: string[];
  };
}

export function createStack(cfg: StackConfig): StackOutputs {
  // One explicit provider for every Kubernetes object: the kubeconfig comes from a
  // secret config value, or the ambient context (KUBECONFIG, ~/.kube/config) when unset.
  const provider = new k8s.Provider("k8s", {
    kubeconfig: cfg.kubeconfig ? pulumi.secret(cfg.kubeconfig.reveal()) : undefined,
    context: cfg.kubeContext,
    enableServerSideApply: true,
  });
  const opts = { providers: { kubernetes: provider } };

  const isolation = new Isolation("isolation", { config: cfg }, opts);
  const platform = new AgentPlatform("agent-platform", { config: cfg, namespace: isolation.namespace }, opts);

  // Monitoring: the stack itself (optional), then what the platform brings to it. The
  // ServiceMonitor/Probe/PrometheusRule CRDs come with the kube-prometheus-stack release.
  const monitoring = new MonitoringStack("monitoring", { config: cfg }, opts);
  const monitoringArgs = { config: cfg, namespace: isolation.namespace, dependsOn: monitoring.crdProviders };
  new Scraping("scraping", monitoringArgs, opts);
  const rules = new AlertRules("alert-rules", monitoringArgs, opts);
  const boards = new Dashboards("dashboards", { config: cfg, dependsOn: monitoring.crdProviders }, opts);
  const alertsByPriority: Record<string, number> = {};
  for (const a of alertCatalogue(cfg)) alertsByPriority[a.priority] = (alertsByPriority[a.priority] ?? 0) + 1;

  return {
    environment: cfg.environment,
    namespace: isolation.namespace,
    serviceName: platform.serviceName,
    serviceUrl: platform.serviceUrl,
    workload: platform.workloadName,
    replicas: cfg.autoscaling.enabled
      ? `${cfg.autoscaling.minReplicas}..${cfg.autoscaling.maxReplicas} (HPA)`
      : String(cfg.replicas),
    deliveryPlan: deliveryPlan(cfg),
    monitoring: {
      installed: cfg.monitoring.install,
      prometheusRule: rules.ruleName,
      alerts: alertsByPriority,
      dashboards: boards.names,
    },
  };
}
