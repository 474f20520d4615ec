// What the policies share: where a pod template lives in each kind, how a resource is
// named in a message, and image references.
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { parseFamiliarName } from "@swimlane/docker-reference";

export type Props = Record<string, any>;

// ------------------------------------------------------------------- helpers ----

/** Where a pod spec sits in an object, from its spec down. */
const TEMPLATE = (p: Props) => [p.spec?.template?.spec];

/**
 * Kubernetes kinds that carry pods, and where their pod specs are (R-CI-5): every kind
 * the API admits with a pod spec, Argo's kinds that start pods (an AnalysisTemplate's job
 * metrics, an Experiment's templates), and the Kubernetes provider's `*Patch` kinds
 * (server-side apply patches of an object someone else created), whose fields are partial.
 */
const POD_PATHS: Record<string, (p: Props) => unknown[]> = {
  "core/v1:Pod": (p) => [p.spec],
  "core/v1:PodTemplate": (p) => [p.template?.spec],
  "core/v1:ReplicationController": TEMPLATE,
  "apps/v1:Deployment": TEMPLATE,
  "apps/v1:StatefulSet": TEMPLATE,
  "apps/v1:DaemonSet": TEMPLATE,
  "apps/v1:ReplicaSet": TEMPLATE,
  "argoproj.io/v1alpha1:Rollout": TEMPLATE,
  "batch/v1:Job": TEMPLATE,
  "batch/v1:CronJob": (p) => [p.spec?.jobTemplate?.spec?.template?.spec],
  "argoproj.io/v1alpha1:AnalysisTemplate": (p) => list(p.spec?.metrics).map((m) => m?.provider?.job?.spec?.template?.spec),
  "argoproj.io/v1alpha1:ClusterAnalysisTemplate": (p) => list(p.spec?.metrics).map((m) => m?.provider?.job?.spec?.template?.spec),
  "argoproj.io/v1alpha1:AnalysisRun": (p) => list(p.spec?.metrics).map((m) => m?.provider?.job?.spec?.template?.spec),
  "argoproj.io/v1alpha1:Experiment": (p) => list(p.spec?.templates).map((t) => t?.template?.spec),
};

/** `kubernetes:apps/v1:DeploymentPatch` → "apps/v1:Deployment" and that it is a patch. */
function podKind(type: string): { kind: string; patch: boolean } | undefined {
  if (!type.startsWith("kubernetes:")) return undefined;
  const t = type.slice("kubernetes:".length);
  const patch = t.endsWith("Patch");
  const kind = patch ? t.slice(0, -"Patch".length) : t;
  return kind in POD_PATHS ? { kind, patch } : undefined;
}

/** The pod specs an object carries (none when it has no template yet), and whether they are a patch's partial fields. */
export function podsOf(type: string, props: Props): { pods: Props[]; patch: boolean } {
  const k = podKind(type);
  if (!k) return { pods: [], patch: false };
  const pods = POD_PATHS[k.kind](props ?? {}).filter((x): x is Props => typeof x === "object" && x !== null);
  return { pods, patch: k.patch };
}

/** Kinds whose pods serve and so need probes; Jobs run to completion. */
export const LONG_RUNNING = new Set([
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apps/v1:DaemonSet",
  "kubernetes:apps/v1:ReplicaSet",
  "kubernetes:core/v1:ReplicationController",
  "kubernetes:argoproj.io/v1alpha1:Rollout",
]);

export const WORKLOADS = ["kubernetes:apps/v1:Deployment", "kubernetes:argoproj.io/v1alpha1:Rollout"];

export const kindOf = (type: string) => type.split(":").pop()!;

/** "Rollout agent-platform-prod/agent-platform", "aws:rds/instance:Instance agent-platform-prod-memory". */
export function describeResource(type: string, props: Props, name: string): string {
  if (type.startsWith("kubernetes:")) {
    // A Helm release names itself at the top level (name, namespace), not in metadata.
    const m = type.startsWith("kubernetes:helm.sh/") ? { namespace: props.namespace, name: props.name } : (props.metadata ?? {});
    return `${kindOf(type)} ${m.namespace ? `${m.namespace}/` : ""}${m.name ?? name}`;
  }
  const id = props.identifier ?? props.bucket ?? (type === "aws:ecr/repository:Repository" ? props.name : undefined) ?? name;
  return `${type} ${id}`;
}

/** The value if it is a list, else no element (a field left out, or of the wrong type). */
export const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

export const containersOf = (pod: Props): Props[] => [...list(pod.initContainers), ...list(pod.containers), ...list(pod.ephemeralContainers)];

/**
 * A resource validation over every pod an object carries; `patch` says its fields are a
 * patch's (judge what it sets, not what it leaves out). An object with several pods (an
 * AnalysisTemplate's job metrics) names each: "AnalysisTemplate n/t, pod 2".
 */
export function forPods(check: (args: ResourceValidationArgs, pod: Props, what: string, report: ReportViolation, patch: boolean) => void) {
  return (args: ResourceValidationArgs, report: ReportViolation) => {
    const { pods, patch } = podsOf(args.type, args.props);
    const what = describeResource(args.type, args.props, args.name);
    pods.forEach((pod, i) => check(args, pod, pods.length > 1 ? `${what}, pod ${i + 1}` : what, report, patch));
  };
}

export function forType(type: string, check: (props: Props, what: string, report: ReportViolation, args: ResourceValidationArgs) => void) {
  return (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type === type) check(args.props, describeResource(args.type, args.props, args.name), report, args);
  };
}

/** Repository (domain/path, normalised: docker.io/library/postgres), tag and digest of an image reference, by the distribution/reference grammar; undefined if it does not parse. */
export const parseImage = (image: string): { repository: string; tag?: string; digest?: string } | undefined => {
  try {
    // A reference parseFamiliarName accepts always has a domain (docker.io by default) and a repository.
    const ref = parseFamiliarName(image);
    return { repository: `${ref.domain}/${ref.repository}`, tag: ref.tag, digest: ref.digest };
  } catch {
    return undefined;
  }
};

// ------------------------------------------------------ workload resources ----
