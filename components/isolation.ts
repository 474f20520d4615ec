// Isolation (R-WL-7): the environment's namespace with Pod Security Admission
// `restricted`, its ResourceQuota and LimitRange, and deny-by-default NetworkPolicies.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import { limitRangeSpec, namespaceLabels, networkPolicies, resourceQuotaSpec } from "./model/isolation";
import { NAMES } from "./model/names";

export interface IsolationArgs {
  config: StackConfig;
}

export class Isolation extends pulumi.ComponentResource {
  /** The namespace name, resolved once the Namespace exists (so dependants wait for it). */
  readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: IsolationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:isolation:Namespace", name, {}, opts);
    const cfg = args.config;
    const child = { parent: this };

    const ns = new k8s.core.v1.Namespace(
      cfg.namespace,
      { metadata: { name: cfg.namespace, labels: namespaceLabels(cfg) } },
      child,
    );
    this.namespace = ns.metadata.name;
    const inNs = (name: string) => ({ name, namespace: this.namespace });

    new k8s.core.v1.ResourceQuota(`${cfg.namespace}-quota`, { metadata: inNs(NAMES.quota), spec: resourceQuotaSpec(cfg) }, child);
    new k8s.core.v1.LimitRange(`${cfg.namespace}-limits`, { metadata: inNs(NAMES.limitRange), spec: limitRangeSpec(cfg) }, child);
    for (const policy of networkPolicies(cfg)) {
      new k8s.networking.v1.NetworkPolicy(
        `${cfg.namespace}-${policy.name}`,
        { metadata: { ...inNs(policy.name), annotations: { "agent-platform/why": policy.why } }, spec: policy.spec },
        child,
      );
    }

    this.registerOutputs({ namespace: this.namespace });
  }
}
