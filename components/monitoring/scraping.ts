// What the platform brings to the monitoring stack for scraping (R-MON-2): the headless
// metrics Service, the ServiceMonitor and the blackbox Probes.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { MONITORING_NAMES, NAMES } from "../model/names";
import { metricsServiceLabels, metricsServiceSpec, monitoringLabels, probeSpecs, serviceMonitorSpec } from "../model/monitoring";

const MONITORING_API = "monitoring.coreos.com/v1";

/** The slice of the stack configuration this component reads. */
export type PlatformMonitoringConfig = Pick<StackConfig, "environment" | "namespace" | "app" | "monitoring" | "alerting" | "backups" | "observability">;

export interface PlatformMonitoringArgs {
  config: PlatformMonitoringConfig;
  namespace: pulumi.Input<string>;
  /** Resources the monitoring CRs wait for (the CRDs' release, the namespace). */
  dependsOn: pulumi.Resource[];
}

/** R-MON-2: the platform's metrics Service, ServiceMonitor and blackbox Probes. */
export class Scraping extends pulumi.ComponentResource {
  constructor(name: string, args: PlatformMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:monitoring:Scraping", name, {}, opts);
    const cfg = args.config;
    const child = { parent: this, dependsOn: args.dependsOn };
    const labels = monitoringLabels(cfg);

    new k8s.core.v1.Service(
      `${name}-metrics-service`,
      {
        metadata: { name: NAMES.metricsService, namespace: args.namespace, labels: metricsServiceLabels(cfg) },
        spec: metricsServiceSpec(cfg),
      },
      child,
    );
    new k8s.apiextensions.CustomResource(
      `${name}-service-monitor`,
      {
        apiVersion: MONITORING_API,
        kind: "ServiceMonitor",
        metadata: { name: MONITORING_NAMES.serviceMonitor, namespace: args.namespace, labels },
        spec: serviceMonitorSpec(cfg),
      },
      child,
    );
    for (const p of probeSpecs(cfg)) {
      new k8s.apiextensions.CustomResource(
        `${name}-${p.name}`,
        { apiVersion: MONITORING_API, kind: "Probe", metadata: { name: p.name, namespace: args.namespace, labels }, spec: p.spec },
        child,
      );
    }
    this.registerOutputs({});
  }
}
