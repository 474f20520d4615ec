// Delivery policies (R-PD-2): the Gateway API plugin the controller downloads is pinned
// by checksum.
import type { StackValidationPolicy } from "@pulumi/policy";
import { describeResource, list } from "./common";

export const pluginPinned: StackValidationPolicy = {
  name: "rollouts-plugin-pinned",
  description: "R-PD-2: the Argo Rollouts controller downloads its traffic-router plugins from a versioned release and verifies them by SHA-256.",
  remediationSteps: "Set delivery.gatewayPlugin.version and delivery.gatewayPlugin.sha256 (docs/delivery.md: how to read the checksum).",
  validateStack: (args, report) => {
    for (const rel of args.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.props.chart === "argo-rollouts")) {
      for (const p of list(rel.props.values?.controller?.trafficRouterPlugins)) {
        const problems: string[] = [];
        if (!/^[a-f0-9]{64}$/.test(String(p.sha256)) || /^0+$/.test(String(p.sha256))) problems.push("no sha256 checksum");
        if (!/^https:\/\/.+\/releases\/download\/v\d+\.\d+\.\d+\//.test(String(p.location))) problems.push(`location ${p.location} is not a versioned release over https`);
        if (problems.length) report(`${describeResource(rel.type, rel.props, rel.name)}: plugin ${p.name}: ${problems.join("; ")} (R-PD-2)`, rel.urn);
      }
    }
  },
};
