// Isolation (R-WL-7): the environment's namespace with Pod Security Admission
// `restricted`, its ResourceQuota and LimitRange, and deny-by-default NetworkPolicies.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { limitRangeSpec, namespaceLabels, networkPolicies, resourceQuotaSpec } from "../model/isolation";
import { NAMES } from "../model/names";

/** The slice of the stack configuration this component reads. */
export type IsolationConfig = Pick<StackConfig, "environment" | "namespace" | "replicas" | "autoscaling" | "resources" | "memoryStore" | "namespaceLimits" | "app" | "network" | "monitoring" | "backups">;

export interface IsolationArgs {
  config: IsolationConfig;
}

export class Isolation extends pulumi.ComponentResource {
  /** The namespace name, resolved once the Namespace exists (so dependants wait for it). */
  readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: IsolationArgs, opts?: pulumi.ComponentResourceOptions) {
    // The token named the component "Namespace" until it was named for what it declares;
    // the alias keeps the state of stacks created under the old token.
    super("agent-platform:isolation:Isolation", name, {}, { ...opts, aliases: [{ type: "agent-platform:isolation:Namespace" }, ...(opts?.aliases ?? [])] });
    const cfg = args.config;
    const child = { parent: this };

    // Logical names do not carry the configured namespace, so renaming it changes these
    // resources instead of creating new ones beside deleted ones; `aliases` keep the state
    // of stacks that named them after the namespace. Where the namespace holds the
    // in-cluster database's volume, Pulumi forgets it rather than delete it: a rename or a
    // destroy leaves the old namespace and its data for the operator (docs/cluster.md).
    const was = (old: string) => ({ ...child, aliases: [{ name: old }] });
    const ns = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: cfg.namespace, labels: namespaceLabels(cfg) } },
      { ...was(cfg.namespace), ...(cfg.memoryStore.mode === "inCluster" ? { retainOnDelete: true } : {}) },
    );
    this.namespace = ns.metadata.name;
    const inNs = (n: string) => ({ name: n, namespace: this.namespace });

    new k8s.core.v1.ResourceQuota(`${name}-quota`, { metadata: inNs(NAMES.quota), spec: resourceQuotaSpec(cfg) }, was(`${cfg.namespace}-quota`));
    new k8s.core.v1.LimitRange(`${name}-limits`, { metadata: inNs(NAMES.limitRange), spec: limitRangeSpec(cfg) }, was(`${cfg.namespace}-limits`));
    for (const policy of networkPolicies(cfg)) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${policy.name}`,
        { metadata: { ...inNs(policy.name), annotations: { "agent-platform/why": policy.why } }, spec: policy.spec },
        was(`${cfg.namespace}-${policy.name}`),
      );
    }

    this.registerOutputs({ namespace: this.namespace });
  }
}
