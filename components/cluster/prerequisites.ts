// Cluster prerequisites the stack installs where its environment opts in (R-ENV-14): the
// Gateway API CRDs (standard channel, from the pinned release), the Gateway the canary's
// HTTPRoute attaches to, metrics-server (kubernetes-sigs chart, pinned) and a StorageClass
// on a CSI driver. What the stack needs and does not install is checked against the live
// cluster before anything is declared (index.ts, components/preflight).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { gatewayNamespace, metricsServerNamespace } from "../model/addons";
import { commonLabels } from "../model/labels";
import { CLUSTER_NAMES } from "../model/names";
import { gatewaySpec, metricsServerValues, storageClassSpec } from "../model/prerequisites";
import { declareOwnedNamespace } from "../shared/namespaces";

/** The slice of the stack configuration this component reads. */
export type ClusterPrerequisitesConfig = Pick<StackConfig, "environment" | "namespace" | "app" | "network" | "monitoring" | "alerting" | "delivery" | "cluster">;

export interface ClusterPrerequisitesArgs {
  config: ClusterPrerequisitesConfig;
}

export const METRICS_SERVER_CHART = { chart: "metrics-server", repo: "https://kubernetes-sigs.github.io/metrics-server/" } as const;

export class ClusterPrerequisites extends pulumi.ComponentResource {
  /** What an HTTPRoute must wait for: the CRDs and the Gateway, where this stack installs them. */
  readonly routing: pulumi.Resource[] = [];
  /** What a volume claim must wait for: the StorageClass, where this stack installs it. */
  readonly storage: pulumi.Resource[] = [];
  /** What an HPA must wait for: metrics-server, where this stack installs it. */
  readonly metrics: pulumi.Resource[] = [];

  constructor(name: string, args: ClusterPrerequisitesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("agent-platform:cluster:Prerequisites", name, {}, opts);
    const cfg = args.config;
    const c = cfg.cluster;
    const child = { parent: this };
    const labels = commonLabels(cfg);

    if (c.gatewayApi.install) {
      // The release's own manifest, pinned by tag; the CRDs are cluster-wide and shared,
      // so they are kept when the stack goes (another Gateway user may depend on them).
      this.routing.push(
        new k8s.yaml.v2.ConfigFile(`${name}-gateway-api-crds`, { file: CLUSTER_NAMES.gatewayApiCrds(c.gatewayApi.version) }, { ...child, retainOnDelete: true }),
      );
    }
    if (c.gateway.install) {
      const ns = declareOwnedNamespace(name, "gateway", gatewayNamespace(cfg), labels, child);
      const gw = cfg.delivery.gateway;
      this.routing.push(
        new k8s.apiextensions.CustomResource(
          `${name}-gateway`,
          { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: gw.name, namespace: gw.namespace, labels }, spec: gatewaySpec(cfg) },
          { ...child, dependsOn: [ns, ...this.routing] },
        ),
      );
    }
    if (c.metricsServer.install) {
      const ns = declareOwnedNamespace(name, "metrics-server", metricsServerNamespace(cfg), labels, child);
      this.metrics.push(
        new k8s.helm.v3.Release(
          `${name}-metrics-server`,
          {
            name: CLUSTER_NAMES.metricsServerRelease,
            namespace: c.metricsServer.namespace,
            createNamespace: false,
            chart: METRICS_SERVER_CHART.chart,
            version: c.metricsServer.chartVersion,
            repositoryOpts: { repo: METRICS_SERVER_CHART.repo },
            values: metricsServerValues(cfg),
            atomic: true,
            timeout: 300,
          },
          { ...child, dependsOn: [ns] },
        ),
      );
    }
    if (c.storageClass.install) {
      const spec = storageClassSpec(cfg);
      this.storage.push(
        // Volumes that hold data outlive the class (reclaimPolicy); the class itself is kept
        // too, since claims made through it name it.
        new k8s.storage.v1.StorageClass(`${name}-storage-class`, { ...spec, metadata: { ...spec.metadata, labels } }, { ...child, retainOnDelete: true }),
      );
    }
    this.registerOutputs({});
  }
}
