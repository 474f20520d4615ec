// The platform workload (R-WL-1..8): ServiceAccount, settings ConfigMap, Secret, the
// Deployment built from the shared pod template, its Service, PDB and (when enabled)
// an autoscaling/v2 HPA.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackConfig } from "../config";
import { ProgressiveDelivery } from "../delivery/progressive-delivery";
import { migrationJob } from "../model/delivery";
import { flagsDocument } from "../model/flags";
import { commonLabels } from "../model/labels";
import { NAMES } from "../model/names";
import { FLAGS_FILE, SECRET_ENV, appSettings, hpaSpec, pdbSpec, podTemplate, rollingDeploymentSpec, serviceSpec } from "../model/workload";

/** The slice of the stack configuration this component reads. */
export type AgentPlatformConfig = Pick<StackConfig, "environment" | "namespace" | "image" | "replicas" | "resources" | "autoscaling" | "logLevel" | "observability" | "externalServices" | "app" | "probes" | "shutdown" | "volumes" | "topology" | "featureFlags" | "memoryStore" | "llmApiKey" | "delivery" | "alerting" | "monitoring" | "network">;

export interface AgentPlatformArgs {
  config: AgentPlatformConfig;
  namespace: pulumi.Input<string>;
  /** The memory store's connection URL for the platform's role (a secret). */
  databaseUrl: pulumi.Input<string>;
  /** What the migrations wait for: the memory store and its roles (R-DATA-0). */
  databaseReady: pulumi.Resource[];
  /** What the HTTPRoute waits for: the Gateway API CRDs and the Gateway, where this stack installs them. */
  routing?: pulumi.Resource[];
  /** What the HPA waits for: metrics-server, where this stack installs it. */
  metrics?: pulumi.Resource[];
}

export class AgentPlatform extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;
  readonly serviceUrl: pulumi.Output<string>;
  readonly workloadName!: pulumi.Output<string>;

  constructor(name: string, args: AgentPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:workload:AgentPlatform", name, {}, opts);
    const cfg = args.config;
    const child = { parent: this };
    const labels = commonLabels(cfg);
    const meta = (name: string) => ({ name, namespace: args.namespace, labels });

    new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta(NAMES.serviceAccount), automountServiceAccountToken: false }, child);

    const config = new k8s.core.v1.ConfigMap(`${name}-config`, { metadata: meta(NAMES.configMap), data: appSettings(cfg) }, child);

    // Generated, never typed in: the JWT signing key lives only in Pulumi's encrypted
    // state and in the Kubernetes Secret (R-WL-6).
    const jwtKey = new random.RandomPassword(`${name}-jwt-signing-key`, { length: 64, special: false }, child);
    const secretData: Record<string, pulumi.Input<string>> = {
      // Explicitly secret: the engine marks `result` secret, and so does the program.
      [SECRET_ENV.jwtSigningKey]: pulumi.secret(jwtKey.result),
      [SECRET_ENV.databaseUrl]: pulumi.secret(args.databaseUrl),
    };
    if (cfg.llmApiKey) secretData[SECRET_ENV.llmApiKey] = pulumi.secret(cfg.llmApiKey.reveal());
    const secret = new k8s.core.v1.Secret(
      `${name}-secrets`,
      { metadata: meta(NAMES.secret), type: "Opaque", stringData: secretData },
      child,
    );

    // R-PD-8: flags are data in a mounted file, not part of the pod template, so a
    // flag change updates the file in place and starts no rollout.
    const flags = new k8s.core.v1.ConfigMap(
      `${name}-flags`,
      { metadata: meta(NAMES.flags), data: { [FLAGS_FILE]: JSON.stringify(flagsDocument(cfg), null, 2) } },
      child,
    );

    const progressive = cfg.delivery.strategy !== "rolling";
    const service = new k8s.core.v1.Service(
      `${name}-service`,
      { metadata: meta(NAMES.service), spec: serviceSpec(cfg) },
      // Argo Rollouts pins this (stable / active) Service to a ReplicaSet by its selector.
      { ...child, ignoreChanges: progressive ? ["spec.selector"] : [] },
    );

    // R-PD-7: migrations run, and finish, before the workload changes. Pulumi waits for
    // the Job to succeed (its Job await logic) and only then updates the Deployment or
    // Rollout; a failed migration stops `pulumi up` with the old version still serving.
    const before: pulumi.Resource[] = [config, secret, flags];
    if (cfg.delivery.migration.enabled) {
      const job = migrationJob(cfg);
      before.push(
        new k8s.batch.v1.Job(
          `${name}-migration`,
          { metadata: meta(job.name), spec: job.spec },
          {
            ...child,
            dependsOn: [secret, ...args.databaseReady],
            customTimeouts: { create: `${cfg.delivery.migration.timeout.seconds + 120}s` },
          },
        ),
      );
    }

    const template = podTemplate(cfg, { hasLlmApiKey: cfg.llmApiKey !== undefined });
    let workload: pulumi.Resource;
    let target: { apiVersion: string; kind: string; name: string };
    if (progressive) {
      const delivery = new ProgressiveDelivery(
        `${name}-delivery`,
        { config: cfg, namespace: args.namespace, template, dependsOn: [...before, service], routing: args.routing ?? [] },
        child,
      );
      workload = delivery;
      target = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: NAMES.workload };
      this.workloadName = delivery.rolloutName;
    } else {
      const deployment = new k8s.apps.v1.Deployment(
        `${name}-deployment`,
        { metadata: meta(NAMES.workload), spec: rollingDeploymentSpec(cfg, template) },
        { ...child, dependsOn: before },
      );
      workload = deployment;
      target = { apiVersion: "apps/v1", kind: "Deployment", name: NAMES.workload };
      this.workloadName = deployment.metadata.name;
    }

    new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata: meta(NAMES.pdb), spec: pdbSpec(cfg) }, child);

    if (cfg.autoscaling.enabled) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-hpa`,
        { metadata: meta(NAMES.hpa), spec: hpaSpec(cfg, target) },
        { ...child, dependsOn: [workload, ...(args.metrics ?? [])] },
      );
    }

    this.serviceName = service.metadata.name;
    this.serviceUrl = pulumi.interpolate`http://${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`;
    this.registerOutputs({ serviceName: this.serviceName, serviceUrl: this.serviceUrl, workloadName: this.workloadName });
  }
}
