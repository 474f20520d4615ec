// The cluster's monitoring stack (R-MON-1, R-MON-4, R-MON-5, R-WL-9): its namespaces, the
// kube-prometheus-stack and blackbox-exporter releases, the Alertmanager config and
// Grafana admin Secrets. Chart values in components/model/monitoring.ts.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { stringify } from "yaml";
import type { StackConfig } from "../config";
import { monitoringNamespace, nodeExporterNamespace } from "../model/addons";
import { alertmanagerConfig } from "../model/alertmanager";
import { commonLabels } from "../model/labels";
import { MONITORING_NAMES } from "../model/names";
import { CHARTS, blackboxValues, kubePrometheusStackValues } from "../model/monitoring";

import { declareOwnedNamespace } from "../shared/namespaces";

export const GRAFANA_ADMIN_USER = "platform-ops-admin";

/** The slice of the stack configuration this component reads. */
export type MonitoringStackConfig = Pick<StackConfig, "environment" | "namespace" | "app" | "network" | "monitoring" | "alerting" | "delivery" | "cluster" | "observability" | "pagerdutyRoutingKey" | "slackWebhookUrl" | "ticketWebhookUrl" | "watchdogUrl" | "smtpPassword">;

export interface MonitoringStackArgs {
  config: MonitoringStackConfig;
  /** What the volume claims wait for: the StorageClass, where this stack installs it. */
  storage?: pulumi.Resource[];
}

/** The cluster's monitoring stack; declares nothing when monitoring.install is false. */
export class MonitoringStack extends pulumi.ComponentResource {
  /** What monitoring CRs must wait for: the Helm releases that bring their CRDs. */
  readonly crdReleases: pulumi.Resource[] = [];

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:monitoring:MonitoringStack", name, {}, opts);
    const cfg = args.config;
    const m = cfg.monitoring;
    const child = { parent: this };
    const nsName = m.namespace;
    const labels = commonLabels(cfg);

    if (m.install) {
      // R-WL-9: the monitoring namespace at PSA restricted (every pod the charts run there
      // meets it: model/monitoring.ts), node-exporter alone in a privileged one, both
      // deny-by-default with each allowance stated (model/addons.ts).
      // The monitoring namespace holds Prometheus's, Alertmanager's and Grafana's volumes.
      const owned = [
        declareOwnedNamespace(name, "monitoring", monitoringNamespace(cfg), labels, child, true),
        declareOwnedNamespace(name, "node-exporter", nodeExporterNamespace(cfg), labels, child),
      ];
      const ns = owned[0];
      const inNs = { ...child, dependsOn: owned };

      // R-MON-4: generated admin password, only in Pulumi's encrypted state and the Secret.
      const adminPassword = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, child);
      const grafanaSecret = new k8s.core.v1.Secret(
        `${name}-grafana-admin`,
        {
          metadata: { name: MONITORING_NAMES.grafanaAdminSecret, namespace: nsName, labels },
          type: "Opaque",
          // The Kubernetes SDK makes a Secret's data secret as a whole, so the user name
          // is masked too (and must not be a word such as "admin" that occurs elsewhere).
          stringData: { "admin-user": GRAFANA_ADMIN_USER, "admin-password": pulumi.secret(adminPassword.result) },
        },
        inNs,
      );

      // R-MON-5: the Alertmanager config, rendered from secrets, stored only as a secret.
      const reveal = (v?: { reveal(): string }) => v?.reveal();
      const amConfig = pulumi.secret(
        stringify(
          alertmanagerConfig(cfg, {
            pagerdutyRoutingKey: reveal(cfg.pagerdutyRoutingKey),
            slackWebhookUrl: reveal(cfg.slackWebhookUrl)!,
            ticketWebhookUrl: reveal(cfg.ticketWebhookUrl)!,
            watchdogUrl: reveal(cfg.watchdogUrl)!,
            smtpPassword: reveal(cfg.smtpPassword),
          }),
          { lineWidth: 0 },
        ),
      );
      const amSecret = new k8s.core.v1.Secret(
        `${name}-alertmanager-config`,
        {
          metadata: { name: MONITORING_NAMES.alertmanagerSecret, namespace: nsName, labels },
          type: "Opaque",
          stringData: { "alertmanager.yaml": amConfig },
        },
        inNs,
      );

      const stack = new k8s.helm.v3.Release(
        `${name}-kube-prometheus-stack`,
        {
          name: m.releaseName,
          namespace: nsName,
          chart: CHARTS.kubePrometheusStack.chart,
          version: m.chartVersion,
          repositoryOpts: { repo: CHARTS.kubePrometheusStack.repo },
          values: kubePrometheusStackValues(cfg),
          atomic: true,
          timeout: 900,
        },
        { ...child, dependsOn: [...owned, grafanaSecret, amSecret, ...(args.storage ?? [])] },
      );
      this.crdReleases.push(stack);

      if (m.installBlackboxExporter) {
        new k8s.helm.v3.Release(
          `${name}-blackbox-exporter`,
          {
            name: MONITORING_NAMES.blackboxRelease,
            namespace: nsName,
            chart: CHARTS.blackboxExporter.chart,
            version: m.blackboxChartVersion,
            repositoryOpts: { repo: CHARTS.blackboxExporter.repo },
            values: blackboxValues(cfg),
            atomic: true,
            timeout: 300,
          },
          { ...child, dependsOn: [ns] },
        );
      }
    }
    this.registerOutputs({});
  }
}
