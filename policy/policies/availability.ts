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

/** 0, "0" or "0%": no pod may go. (A percentage above zero lets at least one go: Kubernetes rounds it up.) */
const isZero = (v: unknown) => Number.parseFloat(String(v)) === 0;
/** A percentage's number ("90%" → 90), or undefined for a count. (policy/v1 admits no other string: IntOrString as a percentage.) */
const percent = (v: unknown) => (typeof v === "string" ? Number.parseFloat(v) : undefined);

export const pdbAllowsDisruption: StackValidationPolicy = {
  name: "pdb-allows-disruption",
  description:
    "R-WL-5, R-CI-5: every PodDisruptionBudget lets at least one pod go (not maxUnavailable 0, not minAvailable 100 % or, counted or as a percentage rounded up, at least the workload's smallest replica count), so node drains and upgrades finish instead of hanging.",
  remediationSteps: "Use maxUnavailable: 1 (AgentPlatform does), or a minAvailable below the workload's minimum replicas.",
  validateStack: (args, report) => {
    for (const pdb of args.resources.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget")) {
      const spec = pdb.props.spec ?? {};
      const what = describeResource(pdb.type, pdb.props, pdb.name);
      if (isZero(spec.maxUnavailable)) {
        report(`${what}: maxUnavailable ${spec.maxUnavailable} lets no pod go; node drains hang (R-WL-5)`, pdb.urn);
        continue;
      }
      const min = spec.minAvailable;
      const pct = percent(min);
      if (pct !== undefined && pct >= 100) {
        report(`${what}: minAvailable ${min} lets no pod go; node drains hang (R-WL-5)`, pdb.urn);
        continue;
      }
      // The workloads it selects, at their smallest size. Kubernetes rounds a percentage up
      // (kubernetes.io/docs/tasks/run-application/configure-pdb/, "Rounding logic when
      // specifying percentages"): minAvailable 90 % of 3 pods keeps 3.
      for (const w of args.resources.filter((r) => WORKLOADS.includes(r.type) && r.props.metadata?.namespace === pdb.props.metadata?.namespace && matches(spec.selector, podLabels(r)))) {
        const hpa = hpaFor(args.resources, w);
        const smallest = hpa ? Number(hpa.props.spec.minReplicas ?? 1) : Number(w.props.spec?.replicas ?? 1);
        const kept = pct === undefined ? Number(min) : Math.ceil((pct * smallest) / 100);
        if (kept >= smallest) report(`${what}: minAvailable ${min} with ${describeResource(w.type, w.props, w.name)} at ${smallest} replica(s) lets no pod go; node drains hang (R-WL-5)`, pdb.urn);
      }
    }
  },
};

export const prodZeroDowntime: StackValidationPolicy = {
  name: "prod-max-unavailable-zero",
  description: "R-WL-5, R-CI-5: in prod, rolling Deployments and canary Rollouts take no pod away before its replacement is ready: maxUnavailable 0 (Kubernetes' and Argo's default is 25 %).",
  remediationSteps: "Keep strategy.rollingUpdate.maxUnavailable 0 (Deployment) and strategy.canary.maxUnavailable 0 (Rollout), with a surge, as components/model/workload.ts and delivery/rollout.ts do.",
  validateStack: (args, report) => {
    for (const w of args.resources.filter((r) => WORKLOADS.includes(r.type))) {
      const strategy = w.props.spec?.strategy ?? {};
      const what = describeResource(w.type, w.props, w.name);
      let value: unknown;
      if (w.type === "kubernetes:apps/v1:Deployment") {
        if (strategy.type === "Recreate") {
          report(`${what}: strategy Recreate stops every pod before starting the new ones; use RollingUpdate with maxUnavailable 0 (R-WL-5)`, w.urn);
          continue;
        }
        value = strategy.rollingUpdate?.maxUnavailable ?? "25% (the default)";
      } else if (strategy.canary) {
        value = strategy.canary.maxUnavailable ?? "25% (the default)";
      } else continue;
      if (!isZero(value)) report(`${what}: maxUnavailable ${value} takes pods away before their replacements are ready; set 0 (R-WL-5)`, w.urn);
    }
  },
};
