// R-PD-10: whoever runs `pulumi up` learns the rollout's verdict. The Kubernetes provider
// awaits no condition on a Rollout (a custom resource: `up` returns once the object is
// applied), but it awaits a Job until it completes and fails `up` when the Job fails. So
// each change of the Rollout's spec brings a Job that runs the controller's own CLI,
// `kubectl argo rollouts status <rollout> --timeout <deadline>`, which (argo-rollouts
// v1.8.3, pkg/kubectl-argo-rollouts/cmd/status/status.go) returns success when the
// Rollout is Healthy, an error when it is Degraded (an abort, or its progress deadline
// exceeded), and an error when the timeout passes first (e.g. a rollout paused for a
// human). It waits until the controller has observed the new spec
// (utils/rollout/rolloututil.go, GetRolloutPhase: "waiting for rollout spec update to be
// observed"), so an old "Healthy" never passes for the new release. The deadline is the
// plan's worst case for a release that does not fail (verdictDeadline).
import type { StackConfig } from "../../config/schema";
import { containerResources, formatDuration } from "../format";
import { APP_NAME, DELIVERY_NAMES } from "../names";
import { checksum } from "../workload";
import { hardenedContainer, hardenedPod } from "../hardening";
import { Policy, tcp } from "../isolation";
import { ADDON_PORTS } from "../names";

export type VerdictArgs = Pick<StackConfig, "namespace" | "delivery" | "network">;

export const VERDICT = {
  name: `${APP_NAME}-rollout-verdict`,
  /** R-WL-3: the one pod here with a service-account token says why (the policy pack reads it). */
  tokenReason: {
    "agent-platform/service-account-token-reason": "watches the Rollout through the API (kubectl argo rollouts status); its Role reads rollouts, analysis runs, experiments, ReplicaSets, Deployments and pods in this namespace only",
  },
  podLabel: { "app.kubernetes.io/name": `${APP_NAME}-rollout-verdict`, "app.kubernetes.io/part-of": APP_NAME },
} as const;

export interface VerdictDeadline {
  seconds: number;
  breakdown: string;
}

/**
 * The longest a release that does not fail can take to become Healthy, from the moment
 * the Rollout's new spec is applied:
 * - canary: every step that starts pods (the smoke-test pod, each stage's scale-up, the
 *   full scale at promotion) may take up to the progress deadline before the controller
 *   calls it Degraded; the smoke test's GETs; each stage's duration plus one analysis
 *   interval (its last measurement);
 * - blue/green: the preview colour's pods and the switch, each up to the progress
 *   deadline; the smoke test; the post-promotion check's measurements.
 * Undefined where the verdict is not awaited this way (see verdictMechanism).
 */
export function verdictDeadline(cfg: Pick<StackConfig, "delivery">): VerdictDeadline | undefined {
  const d = cfg.delivery;
  if (!verdictAwaited(cfg)) return undefined;
  const pd = d.progressDeadline.seconds;
  const smoke = d.smokeTest.measurements * d.smokeTest.interval.seconds + d.smokeTest.timeout.seconds;
  if (d.strategy === "canary") {
    const scaleSteps = d.canarySteps.length + 2;
    const stages = d.canarySteps.reduce((sum, s) => sum + s.duration.seconds + d.analysis.interval.seconds, 0);
    return {
      seconds: scaleSteps * pd + smoke + stages,
      breakdown: `${scaleSteps} pod steps × ${d.progressDeadline.text} progress deadline + smoke test ${formatDuration(smoke)} + ${d.canarySteps.length} stages (duration + one ${d.analysis.interval.text} interval each)`,
    };
  }
  const post = d.analysis.postPromotionMeasurements * d.analysis.interval.seconds;
  return {
    seconds: 2 * pd + smoke + post,
    breakdown: `2 pod steps × ${d.progressDeadline.text} progress deadline + smoke test ${smoke}s + post-promotion check ${d.analysis.postPromotionMeasurements} × ${d.analysis.interval.text}`,
  };
}

/** Whether `pulumi up` awaits the Rollout's verdict through the verdict Job. */
export function verdictAwaited(cfg: Pick<StackConfig, "delivery">): boolean {
  const d = cfg.delivery;
  if (!d.verdict.enabled || d.strategy === "rolling") return false;
  // A blue/green rollout that waits for a human's promotion has no verdict to wait for.
  return d.strategy === "canary" || d.blueGreen.autoPromotion;
}

/** How the stack learns the rollout's verdict, as the render summary says it. */
export function verdictMechanism(cfg: Pick<StackConfig, "delivery">): string {
  const d = cfg.delivery;
  if (d.strategy === "rolling") return "pulumi up waits for the Deployment's rollout (the provider's own await) and fails when it does not complete";
  if (!d.verdict.enabled) return "not awaited (delivery.verdict.enabled is false): run `kubectl argo rollouts status agent-platform` after pulumi up";
  if (!verdictAwaited(cfg)) return "not awaited: promotion is manual (delivery.blueGreen.autoPromotion false); after promoting, run `kubectl argo rollouts status agent-platform`";
  const deadline = verdictDeadline(cfg)!;
  return `pulumi up waits for Job ${VERDICT.name}-<hash> (kubectl argo rollouts status) up to ${formatDuration(deadline.seconds)}: ${deadline.breakdown}; it fails when the Rollout aborts (Degraded) or is undecided at the deadline`;
}

/** The verdict Job for one Rollout spec: a new spec, a new Job (its name carries the spec's hash). */
export function verdictJob(cfg: VerdictArgs, rolloutSpec: unknown) {
  const v = cfg.delivery.verdict;
  const deadline = verdictDeadline(cfg)!;
  const name = `${VERDICT.name}-${checksum({ spec: JSON.stringify(rolloutSpec) }).slice(0, 10)}`;
  return {
    name,
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: deadline.seconds + 60,
      template: {
        metadata: { labels: { ...VERDICT.podLabel } },
        spec: {
          restartPolicy: "Never",
          serviceAccountName: VERDICT.name,
          // It reads the Rollout through the API: the one Job here that needs a token.
          automountServiceAccountToken: true,
          securityContext: hardenedPod(),
          containers: [
            {
              name: "status",
              image: v.image,
              args: ["status", DELIVERY_NAMES.rollout, "--namespace", cfg.namespace, "--watch", "--timeout", `${deadline.seconds}s`],
              resources: containerResources(v.resources),
              securityContext: hardenedContainer(),
            },
          ],
        },
      },
    },
  };
}

/** What the CLI's status view reads (pkg/kubectl-argo-rollouts/viewcontroller/viewcontroller.go informers), read-only, in the platform's namespace. */
export function verdictRole() {
  return {
    rules: [
      { apiGroups: ["argoproj.io"], resources: ["rollouts", "analysisruns", "experiments"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["apps"], resources: ["replicasets", "deployments"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
    ],
  };
}

/** The verdict pods reach the API server, nothing else. */
export function verdictPolicy(cfg: Pick<StackConfig, "network">): Policy {
  return {
    name: "allow-verdict-apiserver-egress",
    why: `the rollout-verdict Job to the API server (${cfg.network.apiServerCidrs.join(", ")}) only: it watches the Rollout`,
    spec: {
      podSelector: { matchLabels: { "app.kubernetes.io/name": VERDICT.podLabel["app.kubernetes.io/name"] } },
      policyTypes: ["Egress"],
      egress: [{ to: cfg.network.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(...ADDON_PORTS.apiServer) }],
    },
  };
}
