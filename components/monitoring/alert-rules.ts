// The rule catalogue (R-AL) as one PrometheusRule: the same groups the render writes to
// prometheus/rules.yaml for promtool.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ruleGroups } from "../model/alerts";
import { MONITORING_NAMES } from "../model/names";
import { monitoringLabels } from "../model/monitoring";

import type { PlatformMonitoringArgs } from "./scraping";

const MONITORING_API = "monitoring.coreos.com/v1";

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
