// Logs and traces beside the metrics (R-OBS-1..5): the two namespaces with their
// NetworkPolicies, Loki and Tempo (on S3 in buckets of their own under the stack's key,
// each through an IRSA role limited to its bucket, where the profile says s3), the
// collector's gateway and node agent, and the Role that lets the gateway watch the
// platform namespace's events. Chart values in components/model/observability.
import * as iam from "@pulumi/aws/iam";
import type * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { boundary, denyInsecureTransport, irsaTrustPolicy } from "../model/data/aws";
import { commonLabels } from "../model/labels";
import { APP_NAME } from "../model/names";
import { OBS, S3Target, agentNamespace, agentValues, gatewayValues, lokiValues, storeRolePolicy, telemetryNamespace, tempoValues } from "../model/observability";
import { declareOwnedNamespace } from "../shared/namespaces";

export type ObservabilityConfig = Pick<StackConfig, "environment" | "namespace" | "app" | "network" | "monitoring" | "observability" | "aws">;

export interface ObservabilityArgs {
  config: ObservabilityConfig;
  /** The stack's KMS key: the S3 buckets are encrypted with it. */
  key?: kms.Key;
  /** What the PodMonitors wait for: the release that brings the CRDs. */
  dependsOn?: pulumi.Resource[];
  storage?: pulumi.Resource[];
}

const CHART_REPOS = {
  collector: { chart: "opentelemetry-collector", repo: "https://open-telemetry.github.io/opentelemetry-helm-charts" },
  loki: { chart: "loki", repo: "https://grafana-community.github.io/helm-charts" },
  tempo: { chart: "tempo", repo: "https://grafana-community.github.io/helm-charts" },
} as const;

/** Declares nothing when observability.install is false. */
export class ObservabilityStack extends pulumi.ComponentResource {
  /** The buckets Loki and Tempo keep their data in (S3 storage only). */
  readonly buckets: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:observability:ObservabilityStack", name, {}, opts);
    const cfg = args.config;
    const o = cfg.observability;
    const child = { parent: this };
    if (!o.install) {
      this.registerOutputs({});
      return;
    }
    const labels = commonLabels(cfg);
    const owned = [
      declareOwnedNamespace(name, "telemetry", telemetryNamespace(cfg), labels, child),
      declareOwnedNamespace(name, "agent", agentNamespace(cfg), labels, child),
    ];
    const inNs = { ...child, dependsOn: [...owned, ...(args.storage ?? [])] };

    const target = (store: "logs" | "traces"): pulumi.Output<S3Target> | undefined => {
      if (o[store].storage !== "s3" || !args.key || !cfg.aws.oidcProviderArn) return undefined;
      return this.bucket(name, store, cfg, args.key);
    };
    const release = (id: string, releaseName: string, namespace: string, repo: { chart: string; repo: string }, version: string, values: pulumi.Input<Record<string, unknown>>, extra: pulumi.Resource[] = []) =>
      new k8s.helm.v3.Release(
        `${name}-${id}`,
        { name: releaseName, namespace, chart: repo.chart, version, repositoryOpts: { repo: repo.repo }, values, atomic: true, timeout: 600 },
        { ...inNs, dependsOn: [...inNs.dependsOn, ...(args.dependsOn ?? []), ...extra] },
      );

    const logs = target("logs");
    const traces = target("traces");
    const loki = release("loki", OBS.lokiRelease, o.namespace, CHART_REPOS.loki, o.charts.loki, logs ? logs.apply((t) => lokiValues(cfg, t)) : lokiValues(cfg));
    const tempo = release("tempo", OBS.tempoRelease, o.namespace, CHART_REPOS.tempo, o.charts.tempo, traces ? traces.apply((t) => tempoValues(cfg, t)) : tempoValues(cfg));

    // The gateway watches the platform namespace's events: a Role there, not a ClusterRole.
    const events = new k8s.rbac.v1.Role(
      `${name}-events-reader`,
      { metadata: { name: `${OBS.gatewayRelease}-events`, namespace: cfg.namespace, labels }, rules: [{ apiGroups: ["", "events.k8s.io"], resources: ["events"], verbs: ["get", "list", "watch"] }] },
      child,
    );
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-events-reader`,
      {
        metadata: { name: `${OBS.gatewayRelease}-events`, namespace: cfg.namespace, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `${OBS.gatewayRelease}-events` },
        subjects: [{ kind: "ServiceAccount", name: OBS.gatewayRelease, namespace: o.namespace }],
      },
      { ...child, dependsOn: [events] },
    );
    release("gateway", OBS.gatewayRelease, o.namespace, CHART_REPOS.collector, o.charts.collector, gatewayValues(cfg), [tempo, loki, binding]);
    release("agent", OBS.agentRelease, o.agentNamespace, CHART_REPOS.collector, o.charts.collector, agentValues(cfg), [loki]);
    this.registerOutputs({ buckets: this.buckets });
  }

  /** A store's bucket (versioned, SSE-KMS under the stack's key, private, TLS only, protected) and its IRSA role. */
  private bucket(name: string, store: "logs" | "traces", cfg: ObservabilityConfig, key: kms.Key): pulumi.Output<S3Target> {
    const child = { parent: this };
    const base = `${APP_NAME}-${cfg.environment}`;
    const serviceAccount = store === "logs" ? OBS.lokiRelease : OBS.tempoRelease;
    const id = `${name}-${serviceAccount}`;
    const bucket = new s3.Bucket(`${base}-${serviceAccount}`, { forceDestroy: false }, { ...child, protect: true });
    const versioning = new s3.BucketVersioning(`${id}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    new s3.BucketServerSideEncryptionConfiguration(
      `${id}-encryption`,
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] },
      child,
    );
    new s3.BucketPublicAccessBlock(`${id}-public-access`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, child);
    new s3.BucketOwnershipControls(`${id}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    // The stores delete what retention expires; the versions they leave go a day later.
    new s3.BucketLifecycleConfiguration(
      `${id}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          { id: "noncurrent-versions", status: "Enabled", filter: { prefix: "" }, noncurrentVersionExpiration: { noncurrentDays: 1 } },
          { id: "multipart-leftovers", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
        ],
      },
      { ...child, dependsOn: [versioning] },
    );
    new s3.BucketPolicy(
      `${id}-policy`,
      {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) => JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecureTransport(arn)] })),
      },
      child,
    );
    const role = new iam.Role(
      id,
      { namePrefix: `${base}-${serviceAccount}-`, assumeRolePolicy: JSON.stringify(irsaTrustPolicy(cfg.aws.oidcProviderArn!, cfg.observability.namespace, serviceAccount)), ...boundary(cfg.aws) },
      child,
    );
    new iam.RolePolicy(id, { role: role.id, policy: pulumi.all([bucket.arn, key.arn]).apply(([b, k]) => JSON.stringify(storeRolePolicy(b, k, cfg.aws.region))) }, child);
    this.buckets[store] = bucket.bucket;
    return pulumi.all([bucket.bucket, role.arn]).apply(([b, r]) => ({ bucket: b, roleArn: r }));
  }
}
