// Monitoring (R-MON-1..5, R-AL): the kube-prometheus-stack and blackbox exporter
// releases with our Alertmanager config and Grafana admin Secrets (MonitoringStack), the
// platform's metrics Service, ServiceMonitor and Probes (Scraping), the rule catalogue as
// a PrometheusRule (AlertRules), and the dashboards as sidecar ConfigMaps (Dashboards).
// Every spec comes from a pure module in components/model/.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { stringify } from "yaml";
import type { StackConfig } from "./config";
import { OwnedNamespace, monitoringNamespace, nodeExporterNamespace } from "./model/addons";
import { ruleGroups } from "./model/alerts";
import { alertmanagerConfig } from "./model/alertmanager";
import { dashboards } from "./model/dashboards";
import { commonLabels } from "./model/labels";
import { MONITORING_NAMES, NAMES } from "./model/names";
import {
  CHARTS,
  blackboxValues,
  kubePrometheusStackValues,
  metricsServiceLabels,
  metricsServiceSpec,
  monitoringLabels,
  probeSpecs,
  serviceMonitorSpec,
} from "./model/monitoring";

const MONITORING_API = "monitoring.coreos.com/v1";

/**
 * Declares a namespace the program owns, with its PSA labels and NetworkPolicies; returns
 * the Namespace. Logical names come from the namespace's role (`role`), not its configured
 * name, so renaming it in config is a change of that resource, not a new one beside a
 * deleted one; `aliases` carry the state of stacks that named them by the namespace.
 * `retain`: the namespace holds volumes, so Pulumi forgets it rather than delete it (a
 * rename or a destroy then leaves the old one, and its data, for the operator).
 */
export function declareOwnedNamespace(
  prefix: string,
  role: string,
  o: OwnedNamespace,
  labels: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
  retain = false,
): k8s.core.v1.Namespace {
  const ns = new k8s.core.v1.Namespace(
    `${prefix}-${role}-namespace`,
    { metadata: { name: o.name, labels: { ...labels, ...o.labels }, annotations: o.annotations } },
    { ...opts, aliases: [{ name: `${prefix}-${o.name}` }], ...(retain ? { retainOnDelete: true } : {}) },
  );
  for (const p of o.policies) {
    const was = `${prefix}-${o.name}-${p.name}`;
    const is = `${prefix}-${role}-${p.name}`;
    new k8s.networking.v1.NetworkPolicy(
      is,
      { metadata: { name: p.name, namespace: o.name, labels, annotations: { "agent-platform/why": p.why } }, spec: p.spec },
      { ...opts, dependsOn: [ns], ...(was !== is ? { aliases: [{ name: was }] } : {}) },
    );
  }
  return ns;
}
export const GRAFANA_ADMIN_USER = "platform-ops-admin";

export interface MonitoringStackArgs {
  config: StackConfig;
  /** What the volume claims wait for: the StorageClass, where this stack installs it. */
  storage?: pulumi.Resource[];
}

/** The cluster's monitoring stack; declares nothing when monitoring.install is false. */
export class MonitoringStack extends pulumi.ComponentResource {
  /** What monitoring CRs must wait for (the releases that bring their CRDs). */
  readonly crdProviders: pulumi.Resource[] = [];

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
      this.crdProviders.push(stack);

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

export interface PlatformMonitoringArgs {
  config: StackConfig;
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

/** R-AL: the rule catalogue as one PrometheusRule (the same groups as prometheus/rules.yaml). */
export class AlertRules extends pulumi.ComponentResource {
  readonly ruleName: pulumi.Output<string>;

  constructor(name: string, args: PlatformMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:monitoring:AlertRules", name, {}, opts);
    const cfg = args.config;
    const rule = new k8s.apiextensions.CustomResource(
      `${name}-prometheus-rule`,
      {
        apiVersion: MONITORING_API,
        kind: "PrometheusRule",
        metadata: { name: MONITORING_NAMES.rules, namespace: args.namespace, labels: monitoringLabels(cfg) },
        spec: { groups: ruleGroups(cfg) },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.ruleName = rule.metadata.name;
    this.registerOutputs({ ruleName: this.ruleName });
  }
}

/** R-MON-3: dashboards as ConfigMaps in the monitoring namespace, for Grafana's sidecar. */
export class Dashboards extends pulumi.ComponentResource {
  readonly names: string[];

  constructor(name: string, args: { config: StackConfig; dependsOn: pulumi.Resource[] }, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:monitoring:Dashboards", name, {}, opts);
    const cfg = args.config;
    this.names = [];
    for (const d of dashboards(cfg)) {
      const cmName = MONITORING_NAMES.dashboard(cfg.environment, d.key);
      this.names.push(d.title);
      new k8s.core.v1.ConfigMap(
        `${name}-${d.key}`,
        {
          metadata: {
            name: cmName,
            namespace: cfg.monitoring.namespace,
            labels: { ...commonLabels(cfg), grafana_dashboard: "1" },
            annotations: { grafana_folder: "Agent platform" },
          },
          data: { [`${d.key}.json`]: JSON.stringify(d.json) },
        },
        { parent: this, dependsOn: args.dependsOn },
      );
    }
    this.registerOutputs({ names: this.names });
  }
}
