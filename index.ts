// Composition root, run by `pulumi preview` and `pulumi up`: validate the stack's config
// (one clear error, nothing declared on failure), check what the cluster and the account
// must already hold (one line per missing prerequisite, nothing declared on failure),
// declare everything, and return the stack outputs.
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./components/config";
import { prerequisites } from "./components/model/prerequisites";
import { findingLines, runPreflight } from "./components/preflight";
import { createStack } from "./components/stack";

export = async () => {
  const cfg = loadStackConfig();
  // R-ENV-14: the same check as `npm run preflight -- <stack>`, through the kubeconfig the
  // Kubernetes provider uses (the stack's secret, or the ambient one) and the AWS credentials.
  const missing = findingLines(await runPreflight(prerequisites(cfg), { kubeconfig: cfg.kubeconfig?.reveal(), context: cfg.kubeContext }));
  if (missing.length) {
    const stack = pulumi.getStack();
    throw new pulumi.RunError(
      `stack "${stack}" needs what the cluster or the account does not hold (README: a new cluster; \`npm run preflight -- ${stack}\` checks again):\n  ${missing.join("\n  ")}`,
    );
  }
  const outputs = createStack(cfg);
  return {
    environment: outputs.environment,
    namespace: outputs.namespace,
    serviceName: outputs.serviceName,
    serviceUrl: outputs.serviceUrl,
    workload: outputs.workload,
    replicas: outputs.replicas,
    deliveryPlan: outputs.deliveryPlan,
    data: outputs.data,
  };
};
