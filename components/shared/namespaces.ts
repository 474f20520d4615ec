// Namespaces the program owns besides the platform's (R-WL-9): each with its Pod Security
// labels and its NetworkPolicies, under logical names that stay when a name changes in
// config. Shared by the monitoring stack, the delivery controller and the cluster's
// prerequisites; the namespaces themselves are model/addons.ts's.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { OwnedNamespace } from "../model/addons";

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
