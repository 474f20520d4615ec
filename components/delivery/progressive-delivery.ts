// Progressive delivery (R-PD-1..9) with Argo Rollouts: the controller from the argo-helm
// chart (optional), the Rollout built from the shared pod template, its Services, the
// Gateway API HTTPRoute the traffic-router plugin rewrites, and the AnalysisTemplates.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { controllerNamespace, controllerSmokeTestPolicy } from "../model/addons";
import { VERDICT, analysisTemplates, controllerValues, httpRouteSpec, rolloutSpec, verdictAwaited, verdictJob, verdictPolicy, verdictRole } from "../model/delivery";
import { declareOwnedNamespace } from "../shared/namespaces";
import { commonLabels } from "../model/labels";
import { DELIVERY_NAMES } from "../model/names";
import { PodTemplate, serviceSpec } from "../model/workload";

/** The slice of the stack configuration this component reads. */
export type ProgressiveDeliveryConfig = Pick<StackConfig, "environment" | "namespace" | "replicas" | "autoscaling" | "resources" | "app" | "probes" | "network" | "monitoring" | "alerting" | "delivery">;

export interface ProgressiveDeliveryArgs {
  config: ProgressiveDeliveryConfig;
  namespace: pulumi.Input<string>;
  template: PodTemplate;
  /** Objects the Rollout's pods need before they start (ConfigMaps, Secret, Services). */
  dependsOn: pulumi.Resource[];
  /** What the HTTPRoute waits for: the Gateway API CRDs and the Gateway, where this stack installs them. */
  routing: pulumi.Resource[];
}

/** What Pulumi leaves to the Gateway API plugin on the HTTPRoute (see the route below). */
export const HTTPROUTE_IGNORED = ["spec.rules"] as const;

export const ARGO_ROLLOUTS_CHART = { chart: "argo-rollouts", repo: "https://argoproj.github.io/argo-helm" } as const;

export class ProgressiveDelivery extends pulumi.ComponentResource {
  readonly rolloutName: pulumi.Output<string>;

  constructor(name: string, args: ProgressiveDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:delivery:ProgressiveDelivery", name, {}, opts);
    const cfg = args.config;
    const d = cfg.delivery;
    const child = { parent: this };
    const labels = commonLabels(cfg);
    const meta = (n: string) => ({ name: n, namespace: args.namespace, labels });
    const before: pulumi.Resource[] = [...args.dependsOn];

    let controller: pulumi.Resource | undefined;
    if (d.installController) {
      // R-WL-9: the controller's namespace is ours: PSA restricted, deny by default.
      const ns = declareOwnedNamespace(name, "controller", controllerNamespace(cfg), labels, child);
      controller = new k8s.helm.v3.Release(
        `${name}-argo-rollouts`,
        {
          name: DELIVERY_NAMES.controllerRelease,
          namespace: d.controllerNamespace,
          createNamespace: false,
          chart: ARGO_ROLLOUTS_CHART.chart,
          version: d.controllerChartVersion,
          repositoryOpts: { repo: ARGO_ROLLOUTS_CHART.repo },
          values: controllerValues(cfg),
          atomic: true,
          timeout: 600,
        },
        { ...child, dependsOn: [ns] },
      );
      before.push(controller);
    }

    for (const t of analysisTemplates(cfg)) {
      before.push(
        new k8s.apiextensions.CustomResource(
          `${name}-${t.name}`,
          { apiVersion: "argoproj.io/v1alpha1", kind: "AnalysisTemplate", metadata: meta(t.name), spec: t.spec },
          // The AnalysisTemplate CRD comes with the controller's chart.
          { ...child, dependsOn: controller ? [controller] : [] },
        ),
      );
    }

    // Argo Rollouts adds `rollouts-pod-template-hash` to the selectors of the Services it
    // manages; Pulumi must not put it back on every `pulumi up`.
    const managedService = (svcName: string) =>
      new k8s.core.v1.Service(
        `${name}-${svcName}`,
        { metadata: meta(svcName), spec: serviceSpec(cfg) },
        { ...child, ignoreChanges: ["spec.selector"] },
      );

    // The smoke test is a web metric run by the controller: let it reach the API port.
    const smoke = controllerSmokeTestPolicy(cfg);
    new k8s.networking.v1.NetworkPolicy(
      `${name}-${smoke.name}`,
      { metadata: { ...meta(smoke.name), annotations: { "agent-platform/why": smoke.why } }, spec: smoke.spec },
      child,
    );
    if (d.strategy === "blueGreen") before.push(managedService(DELIVERY_NAMES.previewService));
    if (d.strategy === "canary") {
      before.push(managedService(DELIVERY_NAMES.canaryService));
      before.push(
        new k8s.apiextensions.CustomResource(
          `${name}-httproute`,
          {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: meta(DELIVERY_NAMES.httpRoute),
            spec: httpRouteSpec(cfg),
          },
          // The plugin owns the weights while a canary runs, so Pulumi sets the rules once,
          // at creation, and never sends them again. `spec.rules` and not the weights: under
          // server-side apply the provider splits an ignore path on "." and cannot follow an
          // array index (pulumi-kubernetes provider/pkg/await/await.go, handleSSAIgnoreFields:
          // "TODO: Enhance support for ignoreField path to support nested arrays"), and the
          // rules list is atomic (Gateway API HTTPRoute CRD, x-kubernetes-list-type), so the
          // plugin's update takes the whole list: the provider then drops `spec.rules` from
          // its apply (owned by another manager) or re-sends the live value. The rules hold
          // nothing configurable (one PathPrefix "/", the stable and canary Services).
          { ...child, dependsOn: args.routing, ignoreChanges: [...HTTPROUTE_IGNORED] },
        ),
      );
    }

    const spec = rolloutSpec(cfg, args.template);
    const rollout = new k8s.apiextensions.CustomResource(
      `${name}-rollout`,
      {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Rollout",
        metadata: meta(DELIVERY_NAMES.rollout),
        spec,
      },
      // With an HPA the controller owns the replica count.
      { ...child, dependsOn: before, ignoreChanges: cfg.autoscaling.enabled ? ["spec.replicas"] : [] },
    );

    // R-PD-10: `pulumi up` waits for the verdict (model/delivery/verdict.ts says how and why).
    if (verdictAwaited(cfg)) {
      const sa = new k8s.core.v1.ServiceAccount(`${name}-verdict`, { metadata: meta(VERDICT.name), automountServiceAccountToken: false }, child);
      const role = new k8s.rbac.v1.Role(`${name}-verdict`, { metadata: meta(VERDICT.name), ...verdictRole() }, child);
      const binding = new k8s.rbac.v1.RoleBinding(
        `${name}-verdict`,
        {
          metadata: meta(VERDICT.name),
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: VERDICT.name },
          subjects: [{ kind: "ServiceAccount", name: VERDICT.name, namespace: args.namespace }],
        },
        { ...child, dependsOn: [role, sa] },
      );
      const egress = verdictPolicy(cfg);
      const policy = new k8s.networking.v1.NetworkPolicy(
        `${name}-${egress.name}`,
        { metadata: { ...meta(egress.name), annotations: { "agent-platform/why": egress.why } }, spec: egress.spec },
        child,
      );
      const job = verdictJob(cfg, spec);
      new k8s.batch.v1.Job(
        `${name}-verdict`,
        { metadata: { ...meta(job.name), annotations: { ...VERDICT.tokenReason } }, spec: job.spec },
        // The provider fails `up` when the Job fails; it must wait at least as long as the Job may run.
        { ...child, dependsOn: [rollout, binding, policy], deleteBeforeReplace: true, customTimeouts: { create: `${job.spec.activeDeadlineSeconds + 120}s`, update: `${job.spec.activeDeadlineSeconds + 120}s` } },
      );
    }

    this.rolloutName = rollout.metadata.name;
    this.registerOutputs({ rolloutName: this.rolloutName });
  }
}
