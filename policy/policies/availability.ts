// Availability policies (R-ENV-2, R-WL): prod's replica floor and autoscaler, and a
// PodDisruptionBudget for every long-running workload.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { Props, WORKLOADS, describeResource, kindOf } from "./common";

const podLabels = (r: PolicyResource): Props => r.props.spec?.template?.metadata?.labels ?? {};

const matches = (selector: Props | undefined, labels: Props) =>
  !!selector && Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) && Object.keys(selector.matchLabels ?? {}).length > 0;

/** The HPA scaling `w`; one is found only with a spec (its scaleTargetRef matched). */
const hpaFor = (all: PolicyResource[], w: PolicyResource) =>
  all.find(
    (r) =>
      r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler" &&
      r.props.metadata?.namespace === w.props.metadata?.namespace &&
      r.props.spec?.scaleTargetRef?.name === w.props.metadata?.name &&
      r.props.spec?.scaleTargetRef?.kind === kindOf(w.type),
  );

export const prodReplicas: StackValidationPolicy = {
  name: "prod-workload-replicas",
  description: "R-ENV-1, R-ENV-2: prod workloads (Deployment or Rollout) run at least 3 replicas, or an HPA keeps at least 3.",
  remediationSteps: "Keep the prod profile's replicas 3 / autoscaling.minReplicas 3.",
  validateStack: (args, report) => {
    for (const w of args.resources.filter((r) => WORKLOADS.includes(r.type))) {
      const hpa = hpaFor(args.resources, w);
      const min = hpa ? Number(hpa.props.spec.minReplicas ?? 1) : Number(w.props.spec?.replicas ?? 1);
      if (min < 3) {
        report(
          `${describeResource(w.type, w.props, w.name)}: ${hpa ? `HPA minimum ${min}` : `${min} replica(s)`}; prod runs at least 3 (R-ENV-1, R-ENV-2)`,
          w.urn,
        );
      }
    }
  },
};

export const pdbs: StackValidationPolicy = {
  name: "pdb-for-replicated-workloads",
  description: "R-WL-5: every workload that may run more than one replica has a PodDisruptionBudget selecting its pods.",
  remediationSteps: "Declare a policy/v1 PodDisruptionBudget with the workload's selector (AgentPlatform does).",
  validateStack: (args, report) => {
    for (const w of args.resources.filter((r) => WORKLOADS.includes(r.type))) {
      const hpa = hpaFor(args.resources, w);
      const max = hpa ? Number(hpa.props.spec.maxReplicas ?? 1) : Number(w.props.spec?.replicas ?? 1);
      if (max <= 1) continue;
      const covered = args.resources.some(
        (r) =>
          r.type === "kubernetes:policy/v1:PodDisruptionBudget" &&
          r.props.metadata?.namespace === w.props.metadata?.namespace &&
          matches(r.props.spec?.selector, podLabels(w)),
      );
      if (!covered) report(`${describeResource(w.type, w.props, w.name)}: up to ${max} replicas and no PodDisruptionBudget selects its pods (R-WL-5)`, w.urn);
    }
  },
};
