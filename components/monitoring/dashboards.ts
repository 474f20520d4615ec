// The dashboards (R-MON-3) as ConfigMaps in the monitoring namespace, for Grafana's
// sidecar; built in components/model/dashboards.ts.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { dashboards } from "../model/dashboards";
import { commonLabels } from "../model/labels";
import { MONITORING_NAMES } from "../model/names";

/** The slice of the stack configuration this component reads. */
export type DashboardsConfig = Pick<StackConfig, "environment" | "namespace" | "monitoring" | "alerting">;

export interface DashboardsArgs {
  config: DashboardsConfig;
  /** Resources the ConfigMaps wait for (the monitoring namespace's release). */
  dependsOn: pulumi.Resource[];
}

/** R-MON-3: dashboards as ConfigMaps in the monitoring namespace, for Grafana's sidecar. */
export class Dashboards extends pulumi.ComponentResource {
  /** The dashboards' titles, as Grafana shows them. */
  readonly titles: string[];

  constructor(name: string, args: DashboardsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:monitoring:Dashboards", name, {}, opts);
    const cfg = args.config;
    this.titles = [];
    for (const d of dashboards(cfg)) {
      const cmName = MONITORING_NAMES.dashboard(cfg.environment, d.key);
      this.titles.push(d.title);
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
    this.registerOutputs({ titles: this.titles });
  }
}
