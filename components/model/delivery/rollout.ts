// The Rollout (R-PD-1..3, R-PD-7, R-PD-9), its HTTPRoute, the migration Job Pulumi runs
// before the workload changes, and the Argo Rollouts controller's chart values.
import type { StackConfig } from "../../config/schema";
import { containerResources } from "../format";
import { selectorLabels } from "../labels";
import { APP_NAME, DELIVERY_NAMES, JOB_NAMES, NAMES } from "../names";
import { PodTemplate, SECRET_ENV, checksum, databaseCa, secretDelivery } from "../workload";
import { hardenedContainer, hardenedPod } from "../hardening";

export const GATEWAY_PLUGIN = "argoproj-labs/gatewayAPI";
export const GATEWAY_PLUGIN_REPO = "argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi";

export type RolloutArgs = Pick<StackConfig, "environment" | "namespace" | "replicas" | "autoscaling" | "delivery">;

const hashArg = [{ name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } }];
const smokeOn = (service: string) => ({
  analysis: { templates: [{ templateName: DELIVERY_NAMES.smokeTemplate }], args: [{ name: "service", value: service }] },
});

/**
 * Canary steps. Before any traffic: one canary pod with no weight, smoke-tested through
 * the canary Service (R-PD-7); then each stage's weight and its analysis, which is the
 * stage's pause and gates the next step (R-PD-2, R-PD-3). Migrations have already run:
 * Pulumi runs them before it changes the Rollout (see migrationJob).
 */
export function canarySteps(cfg: RolloutArgs): unknown[] {
  const steps: unknown[] = [
    { setCanaryScale: { replicas: 1 } },
    smokeOn(DELIVERY_NAMES.canaryService),
    { setCanaryScale: { matchTrafficWeight: true } },
  ];
  cfg.delivery.canarySteps.forEach((s, i) => {
    steps.push({ setWeight: s.weight });
    steps.push({ analysis: { templates: [{ templateName: DELIVERY_NAMES.stageTemplate(i) }], args: hashArg } });
  });
  return steps;
}

/** Index of the first step that moves traffic: the background triggers start there. */
export const FIRST_TRAFFIC_STEP = 3;

/** Seconds Argo keeps an aborted canary (or the old colour) scaled up before scaling it down. */
const ABORT_SCALE_DOWN_SECONDS = 30;

export function rolloutStrategy(cfg: RolloutArgs): Record<string, unknown> {
  const d = cfg.delivery;
  if (d.strategy === "blueGreen") {
    return {
      blueGreen: {
        activeService: DELIVERY_NAMES.stableService,
        previewService: DELIVERY_NAMES.previewService,
        autoPromotionEnabled: d.blueGreen.autoPromotion,
        // The old colour stays up, scaled, so `kubectl argo rollouts undo` switches back at once.
        scaleDownDelaySeconds: d.blueGreen.scaleDownDelay.seconds,
        // Only the smoke test: migrations already ran (a Pulumi-ordered Job), so nothing in
        // this AnalysisRun can terminate a migration half-way.
        prePromotionAnalysis: {
          templates: [{ templateName: DELIVERY_NAMES.smokeTemplate }],
          args: [{ name: "service", value: DELIVERY_NAMES.previewService }],
        },
        postPromotionAnalysis: { templates: [{ templateName: DELIVERY_NAMES.postPromotionTemplate }], args: hashArg },
        abortScaleDownDelaySeconds: ABORT_SCALE_DOWN_SECONDS,
      },
    };
  }
  if (d.strategy === "canary") {
    return {
      canary: {
        stableService: DELIVERY_NAMES.stableService,
        canaryService: DELIVERY_NAMES.canaryService,
        maxSurge: "25%",
        maxUnavailable: 0,
        abortScaleDownDelaySeconds: ABORT_SCALE_DOWN_SECONDS,
        trafficRouting: {
          plugins: {
            [GATEWAY_PLUGIN]: { httpRoute: DELIVERY_NAMES.httpRoute, namespace: cfg.namespace },
          },
        },
        // The triggers watch the canary from its first traffic to the end of the rollout.
        analysis: {
          templates: [{ templateName: DELIVERY_NAMES.triggersTemplate }],
          args: hashArg,
          startingStep: FIRST_TRAFFIC_STEP,
        },
        steps: canarySteps(cfg),
      },
    };
  }
  throw new Error(`rolloutStrategy: strategy ${d.strategy} is declared as a Deployment, not a Rollout`);
}

export function rolloutSpec(cfg: RolloutArgs, template: PodTemplate): Record<string, unknown> {
  return {
    ...(cfg.autoscaling.enabled ? {} : { replicas: cfg.replicas }),
    revisionHistoryLimit: cfg.delivery.revisionHistoryLimit,
    minReadySeconds: cfg.delivery.minReady.seconds,
    progressDeadlineSeconds: cfg.delivery.progressDeadline.seconds,
    progressDeadlineAbort: true,
    selector: { matchLabels: selectorLabels(cfg) },
    template,
    strategy: rolloutStrategy(cfg),
  };
}

/** HTTPRoute the Gateway API plugin rewrites: all traffic to stable until a canary starts. */
export function httpRouteSpec(cfg: RolloutArgs) {
  const g = cfg.delivery.gateway;
  return {
    parentRefs: [{ name: g.name, namespace: g.namespace }],
    ...(g.hostnames.length ? { hostnames: g.hostnames } : {}),
    rules: [
      {
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        backendRefs: [
          { name: DELIVERY_NAMES.stableService, port: 80, weight: 100 },
          { name: DELIVERY_NAMES.canaryService, port: 80, weight: 0 },
        ],
      },
    ],
  };
}

export type MigrationArgs = Pick<StackConfig, "image" | "delivery" | "app" | "memoryStore">;

/**
 * R-PD-7: the forward migration as a Job that Pulumi creates, and waits for, before it
 * changes the workload. Its name carries a hash of image and command, so a new release is
 * a new Job (Jobs are immutable) and an unchanged release runs nothing.
 */
export function migrationJob(cfg: MigrationArgs) {
  const m = cfg.delivery.migration;
  const secrets = secretDelivery(cfg, [SECRET_ENV.databaseUrl]);
  const ca = databaseCa(cfg);
  const name = `${APP_NAME}-migrate-${checksum({ image: cfg.image, command: JSON.stringify(m.command) }).slice(0, 10)}`;
  return {
    name,
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: m.timeout.seconds,
      template: {
        metadata: { labels: { "app.kubernetes.io/name": JOB_NAMES.migration, "app.kubernetes.io/part-of": APP_NAME } },
        spec: {
          restartPolicy: "Never",
          serviceAccountName: NAMES.serviceAccount,
          automountServiceAccountToken: false,
          securityContext: hardenedPod(),
          containers: [
            {
              name: "migrate",
              image: cfg.image,
              command: m.command,
              env: secrets.env,
              volumeMounts: [...secrets.volumeMounts, ...ca.volumeMounts],
              resources: containerResources(m.resources),
              securityContext: hardenedContainer(),
            },
          ],
          volumes: [...secrets.volumes, ...ca.volumes],
        },
      },
    },
  };
}

/** Release asset of the Gateway API plugin for the configured version and architecture. */
export function gatewayPluginUrl(cfg: Pick<StackConfig, "delivery">): string {
  const p = cfg.delivery.gatewayPlugin;
  return `https://github.com/${GATEWAY_PLUGIN_REPO}/releases/download/${p.version}/gatewayapi-plugin-linux-${p.arch}`;
}

/** Whether the controller this stack installs needs the Gateway API plugin. */
export function needsGatewayPlugin(cfg: Pick<StackConfig, "delivery">): boolean {
  const d = cfg.delivery;
  return d.installController && d.strategy === "canary" && d.trafficRouter === "gatewayApi";
}

/** Values of the argo-rollouts chart: the controller, with the plugin pinned by checksum where used. */
export function controllerValues(cfg: Pick<StackConfig, "delivery">) {
  const plugin = cfg.delivery.gatewayPlugin;
  return {
    installCRDs: true,
    keepCRDs: true,
    controller: {
      replicas: cfg.delivery.controllerReplicas,
      trafficRouterPlugins: needsGatewayPlugin(cfg)
        ? [{ name: GATEWAY_PLUGIN, location: gatewayPluginUrl(cfg), sha256: plugin.sha256 }]
        : [],
      metrics: { enabled: true },
      pdb: { enabled: true, minAvailable: 1 },
      resources: containerResources(cfg.delivery.controllerResources),
    },
    providerRBAC: { enabled: true, providers: { gatewayAPI: needsGatewayPlugin(cfg) } },
    dashboard: { enabled: false },
    // PSA restricted in its own namespace (R-WL-9); the image's own non-root user.
    podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containerSecurityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    // No aggregation of Rollout rights into every namespace's admin/edit/view roles.
    createClusterAggregateRoles: false,
  };
}
