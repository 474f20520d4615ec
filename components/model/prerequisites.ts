// What a stack needs the cluster (and the account) to hold before its objects can work
// (R-ENV-14), and who provides each: the stack itself (cluster.*.install) or the cluster,
// in which case `pulumi preview` (index.ts) and `npm run preflight` check it live
// (components/preflight) and name what is missing with the way to provide it. Pure.
import type { StackConfig } from "../config/schema";
import { containerResources } from "./format";

export type PrerequisiteArgs = Pick<
  StackConfig,
  "image" | "autoscaling" | "delivery" | "monitoring" | "memoryStore" | "cluster" | "aws" | "registry"
>;

/** What the preflight asks the cluster (or the registry) to prove a prerequisite is there. */
export type Check =
  /** The API group/version serves these resources (discovery): a CRD or an aggregated API is installed and available. */
  | { kind: "served"; groupVersion: string; resources: string[] }
  /** This object exists (GET returns it); cluster-scoped without a namespace. */
  | { kind: "object"; group: string; version: string; plural: string; namespace?: string; name: string }
  /** A StorageClass by name, or the cluster's default, on a provisioner that can provision. */
  | { kind: "storageClass"; name?: string }
  /** This CSI driver is registered (CSIDriver object). */
  | { kind: "csiDriver"; name: string }
  /** The image is in the ECR repository. */
  | { kind: "image"; registryId: string; region: string; repository: string; tag?: string; digest?: string };

export interface Prerequisite {
  id: string;
  /** What it is, as the one line names it. */
  what: string;
  /** Which of the stack's objects need it. */
  why: string;
  /** "stack": this stack installs it; "cluster": it must be there already (checked). */
  providedBy: "stack" | "cluster";
  /** How to provide it, when the cluster lacks it. */
  fix: string;
  check: Check;
}

const setCmd = (key: string, value: string) => `\`pulumi config set --path ${key} ${value}\``;

/**
 * Where an image lives when it is an ECR image (`<account>.dkr.ecr.<region>.amazonaws.com/
 * <repository>[:tag][@digest]`); the schema has already checked the reference's grammar.
 */
export function ecrImage(image: string): { registryId: string; region: string; repository: string; tag?: string; digest?: string } | undefined {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)(?::([^@]+))?(?:@(sha256:[a-f0-9]{64}))?$/.exec(image);
  if (!m) return undefined;
  return { registryId: m[1], region: m[2], repository: m[3], ...(m[4] ? { tag: m[4] } : {}), ...(m[5] ? { digest: m[5] } : {}) };
}

/** Every prerequisite of the stack, in the order a new cluster provides them. */
export function prerequisites(cfg: PrerequisiteArgs): Prerequisite[] {
  const c = cfg.cluster;
  const d = cfg.delivery;
  const out: Prerequisite[] = [];
  const routed = d.strategy === "canary" && d.trafficRouter === "gatewayApi";

  if (routed || c.gateway.install) {
    out.push({
      id: "gateway-api-crds",
      what: `Gateway API CRDs (standard channel, gateway.networking.k8s.io/v1 ${c.gateway.install ? "Gateway and HTTPRoute" : "HTTPRoute"})`,
      why: "the canary's HTTPRoute, whose weights the Argo Rollouts plugin moves",
      providedBy: c.gatewayApi.install ? "stack" : "cluster",
      fix: `${setCmd("cluster.gatewayApi.install", "true")} (installs ${c.gatewayApi.version}), or kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/${c.gatewayApi.version}/standard-install.yaml`,
      check: { kind: "served", groupVersion: "gateway.networking.k8s.io/v1", resources: c.gateway.install ? ["gateways", "httproutes"] : ["httproutes"] },
    });
  }
  if (routed) {
    const g = d.gateway;
    if (c.gateway.install) {
      out.push({
        id: "gateway-class",
        what: `GatewayClass ${c.gateway.className}`,
        why: `the Gateway ${g.namespace}/${g.name} this stack declares (its implementation runs the data plane)`,
        providedBy: "cluster",
        fix: `install the Gateway API implementation that provides GatewayClass ${c.gateway.className} (e.g. the AWS Gateway API Controller or Envoy Gateway), or set cluster.gateway.className to one the cluster has`,
        check: { kind: "object", group: "gateway.networking.k8s.io", version: "v1", plural: "gatewayclasses", name: c.gateway.className! },
      });
    } else {
      out.push({
        id: "gateway",
        what: `Gateway ${g.namespace}/${g.name}`,
        why: "the canary's HTTPRoute attaches to it (parentRefs)",
        providedBy: "cluster",
        fix: `${setCmd("cluster.gateway.install", "true")} with cluster.gateway.className, or point delivery.gateway at the cluster's Gateway`,
        check: { kind: "object", group: "gateway.networking.k8s.io", version: "v1", plural: "gateways", namespace: g.namespace, name: g.name },
      });
    }
  }
  if (d.strategy !== "rolling" && !d.installController) {
    out.push({
      id: "argo-rollouts-crds",
      what: "Argo Rollouts CRDs and controller (argoproj.io/v1alpha1 Rollout, AnalysisTemplate)",
      why: `the ${d.strategy} Rollout and its analyses`,
      providedBy: "cluster",
      fix: `${setCmd("delivery.installController", "true")}, or install Argo Rollouts ${d.controllerChartVersion === "2.40.5" ? "v1.8.3 " : ""}in ${d.controllerNamespace}`,
      check: { kind: "served", groupVersion: "argoproj.io/v1alpha1", resources: ["analysistemplates", "rollouts"] },
    });
  }
  if (!cfg.monitoring.install) {
    out.push({
      id: "prometheus-operator-crds",
      what: "prometheus-operator CRDs (monitoring.coreos.com/v1 ServiceMonitor, Probe, PrometheusRule)",
      why: "the platform's scraping, probes and alert rules",
      providedBy: "cluster",
      fix: `${setCmd("monitoring.install", "true")}, or install kube-prometheus-stack (or the prometheus-operator CRDs) in the cluster`,
      check: { kind: "served", groupVersion: "monitoring.coreos.com/v1", resources: ["probes", "prometheusrules", "servicemonitors"] },
    });
  }
  if (cfg.autoscaling.enabled) {
    out.push({
      id: "metrics-server",
      what: "metrics-server (metrics.k8s.io/v1beta1)",
      why: "the HPA scales on CPU and memory, which only metrics-server reports",
      providedBy: c.metricsServer.install ? "stack" : "cluster",
      fix: `${setCmd("cluster.metricsServer.install", "true")} (chart ${c.metricsServer.chartVersion}), or the EKS add-on: aws eks create-addon --cluster-name <cluster> --addon-name metrics-server`,
      check: { kind: "served", groupVersion: "metrics.k8s.io/v1beta1", resources: ["pods"] },
    });
  }
  const volumes = [
    ...(cfg.monitoring.install ? ["Prometheus, Alertmanager and Grafana volumes"] : []),
    ...(cfg.memoryStore.mode === "inCluster" ? ["the in-cluster PostgreSQL volume"] : []),
  ];
  if (volumes.length) {
    const s = c.storageClass;
    if (s.install) {
      out.push({
        id: "csi-driver",
        what: `CSI driver ${s.provisioner}`,
        why: `the StorageClass ${s.name} this stack declares provisions through it (${volumes.join("; ")})`,
        providedBy: "cluster",
        fix:
          s.provisioner === "ebs.csi.aws.com"
            ? "install the EBS CSI driver: aws eks create-addon --cluster-name <cluster> --addon-name aws-ebs-csi-driver --service-account-role-arn <role with AmazonEBSCSIDriverPolicy>"
            : `install the CSI driver ${s.provisioner}, or set cluster.storageClass.provisioner to one the cluster has`,
        check: { kind: "csiDriver", name: s.provisioner },
      });
    } else {
      out.push({
        id: "storage-class",
        what: s.name ? `StorageClass ${s.name} on a CSI driver` : "a default StorageClass on a CSI driver",
        why: volumes.join("; "),
        providedBy: "cluster",
        fix: `${setCmd("cluster.storageClass.install", "true")} with cluster.storageClass.name (EBS gp3 through ebs.csi.aws.com), or mark a class default: kubectl annotate storageclass <name> storageclass.kubernetes.io/is-default-class=true`,
        check: { kind: "storageClass", ...(s.name ? { name: s.name } : {}) },
      });
    }
  }
  const ecr = ecrImage(cfg.image);
  if (ecr && cfg.aws.enabled) {
    out.push({
      id: "image",
      what: `image ${cfg.image}`,
      why: "the platform's pods and the migration Job pull it",
      providedBy: "cluster",
      fix: `push it first (README: a new account): the repository ${ecr.repository} comes from the bootstrap stack`,
      check: { kind: "image", ...ecr },
    });
  }
  return out;
}

/** The StorageClass every volume the program claims names; undefined: the cluster's default. */
export function volumeStorageClass(cfg: Pick<StackConfig, "cluster">): string | undefined {
  return cfg.cluster.storageClass.name;
}

/** The StorageClass the stack declares when cluster.storageClass.install (R-ENV-14). */
export function storageClassSpec(cfg: Pick<StackConfig, "cluster">) {
  const s = cfg.cluster.storageClass;
  return {
    metadata: {
      name: s.name!,
      ...(s.makeDefault ? { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } : {}),
    },
    provisioner: s.provisioner,
    parameters: { ...s.parameters },
    reclaimPolicy: s.reclaimPolicy,
    // A volume is made in the zone of the pod that first claims it, not before.
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  };
}

/** The Gateway the canary's HTTPRoute attaches to, when cluster.gateway.install (R-ENV-14). */
export function gatewaySpec(cfg: Pick<StackConfig, "cluster" | "delivery" | "namespace">) {
  const g = cfg.cluster.gateway;
  const hostnames = cfg.delivery.gateway.hostnames;
  return {
    gatewayClassName: g.className!,
    listeners: [
      {
        name: g.protocol.toLowerCase(),
        protocol: g.protocol,
        port: g.port,
        ...(hostnames.length === 1 ? { hostname: hostnames[0] } : {}),
        ...(g.protocol === "HTTPS" ? { tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: g.tlsSecretName! }] } } : {}),
        // Routes attach from the platform's namespace only.
        allowedRoutes: { namespaces: { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": cfg.namespace } } } },
      },
    ],
  };
}

/**
 * metrics-server chart values (kubernetes-sigs/metrics-server charts/metrics-server/values.yaml
 * at metrics-server-helm-chart-3.13.0): the chart's restricted security context and
 * default arguments are kept; replicas, resources and a PDB from the profile.
 */
export function metricsServerValues(cfg: Pick<StackConfig, "cluster">) {
  const m = cfg.cluster.metricsServer;
  return {
    replicas: m.replicas,
    resources: containerResources(m.resources),
    podDisruptionBudget: m.replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
  };
}
