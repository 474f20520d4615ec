// Loki and Tempo (R-OBS-1, R-OBS-3), each a single binary from grafana-community/
// helm-charts (charts/loki and charts/tempo, values.yaml at the pinned versions): logs and
// traces kept `retentionDays`, on a volume (dev) or on S3 (staging, prod) in a bucket of
// their own under the stack's KMS key, reached through an IRSA role that may touch that
// bucket only. One bucket per store, not one bucket with a prefix per store: Loki's S3
// client takes no key prefix (only its thanos object-store mode does), so a prefix-scoped
// role could not hold it.
import type { StackConfig } from "../../config/schema";
import { containerResources } from "../format";
import { hardenedPod } from "../hardening";
import { OBS } from "./names";

export type StoreArgs = Pick<StackConfig, "environment" | "aws" | "observability">;

/** Where a store keeps its data, when on S3: the bucket and the role its ServiceAccount assumes. */
export interface S3Target {
  bucket: string;
  roleArn: string;
}

/** The pod and container security contexts of the stack's restricted pods (the gateway, Loki, Tempo; R-WL-9). */
export const RESTRICTED_POD = hardenedPod(10001);
export const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const irsa = (s3?: S3Target) => (s3 ? { annotations: { "eks.amazonaws.com/role-arn": s3.roleArn } } : {});

/** The Loki release's values. */
export function lokiValues(cfg: StoreArgs, s3?: S3Target) {
  const o = cfg.observability;
  const store = s3 ? "s3" : "filesystem";
  return {
    deploymentMode: "Monolithic",
    fullnameOverride: OBS.lokiRelease,
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      // TSDB index and the v13 schema (the one OTLP ingestion and structured metadata need).
      schemaConfig: { configs: [{ from: "2026-01-01", store: "tsdb", object_store: store, schema: "v13", index: { prefix: "index_", period: "24h" } }] },
      storage: s3
        ? { type: "s3", bucketNames: { chunks: s3.bucket, ruler: s3.bucket, admin: s3.bucket }, s3: { region: cfg.aws.region } }
        : { type: "filesystem" },
      limits_config: { retention_period: `${o.logs.retentionDays * 24}h`, allow_structured_metadata: true, volume_enabled: true },
      compactor: { retention_enabled: true, delete_request_store: store },
      podSecurityContext: RESTRICTED_POD,
      containerSecurityContext: RESTRICTED_CONTAINER,
    },
    // No rules sidecar: it watches ConfigMaps through the API; log alerts are Prometheus rules.
    singleBinary: { replicas: 1, sidecar: false, resources: containerResources(o.storeResources), persistence: { enabled: true, size: o.logs.volumeSize.text } },
    serviceAccount: { create: true, automountServiceAccountToken: false, ...irsa(s3) },
    // The parts of a scalable Loki this single binary does not run. The chart defaults
    // read, write and backend to 3 replicas each, and its templates/validate.yaml fails the
    // install when monolithic and simple-scalable replicas are both above zero.
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    gateway: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
  };
}

/** The Tempo release's values. */
export function tempoValues(cfg: StoreArgs, s3?: S3Target) {
  const o = cfg.observability;
  return {
    fullnameOverride: OBS.tempoRelease,
    tempo: {
      reportingEnabled: false,
      retention: `${o.traces.retentionDays * 24}h`,
      storage: {
        trace: s3
          ? { backend: "s3", s3: { bucket: s3.bucket, endpoint: `s3.${cfg.aws.region}.amazonaws.com`, region: cfg.aws.region }, wal: { path: "/var/tempo/wal" } }
          : { backend: "local", local: { path: "/var/tempo/traces" }, wal: { path: "/var/tempo/wal" } },
      },
      // OTLP only: the gateway is the one sender (null removes the chart's Jaeger receivers).
      receivers: { jaeger: null, otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OBS.otlpGrpc}` }, http: null } } },
      resources: containerResources(o.storeResources),
      securityContext: RESTRICTED_CONTAINER,
    },
    securityContext: RESTRICTED_POD,
    serviceAccount: { create: true, automountServiceAccountToken: false, ...irsa(s3) },
    persistence: { enabled: true, size: o.traces.volumeSize.text },
  };
}

/** The IAM policy of a store's role: its own bucket, and the stack's key through S3 only. */
export function storeRolePolicy(bucketArn: string, kmsKeyArn: string, region: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ListItsBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucketArn },
      { Sid: "ObjectsInItsBucket", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/*` },
      { Sid: "KeyThroughS3", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: kmsKeyArn, Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } } },
    ],
  };
}
