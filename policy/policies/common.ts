// What the policies share: where a pod template lives in each kind, how a resource is
// named in a message, and image references.
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { parseFamiliarName } from "@swimlane/docker-reference";

export type Props = Record<string, any>;

// ------------------------------------------------------------------- helpers ----

/** Kubernetes kinds that carry a pod template, and where it is. */
const POD_PATHS: Record<string, (p: Props) => Props | undefined> = {
  "kubernetes:apps/v1:Deployment": (p) => p.spec?.template?.spec,
  "kubernetes:apps/v1:StatefulSet": (p) => p.spec?.template?.spec,
  "kubernetes:apps/v1:DaemonSet": (p) => p.spec?.template?.spec,
  "kubernetes:argoproj.io/v1alpha1:Rollout": (p) => p.spec?.template?.spec,
  "kubernetes:batch/v1:Job": (p) => p.spec?.template?.spec,
  "kubernetes:batch/v1:CronJob": (p) => p.spec?.jobTemplate?.spec?.template?.spec,
};

/** Kinds whose pods serve and so need probes; Jobs run to completion. */
export const LONG_RUNNING = new Set(["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet", "kubernetes:argoproj.io/v1alpha1:Rollout"]);

export const WORKLOADS = ["kubernetes:apps/v1:Deployment", "kubernetes:argoproj.io/v1alpha1:Rollout"];

export const kindOf = (type: string) => type.split(":").pop()!;

/** "Rollout agent-platform-prod/agent-platform", "aws:rds/instance:Instance agent-platform-prod-memory". */
export function describeResource(type: string, props: Props, name: string): string {
  if (type.startsWith("kubernetes:")) {
    const m = props.metadata ?? {};
    return `${kindOf(type)} ${m.namespace ? `${m.namespace}/` : ""}${m.name ?? name}`;
  }
  const id = props.identifier ?? props.bucket ?? (type === "aws:ecr/repository:Repository" ? props.name : undefined) ?? name;
  return `${type} ${id}`;
}

/** The value if it is a list, else no element (a field left out, or of the wrong type). */
export const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

export const containersOf = (pod: Props): Props[] => [...list(pod.initContainers), ...list(pod.containers)];

/** A resource validation over the kinds that carry pods. */
export function forPods(check: (args: ResourceValidationArgs, pod: Props, what: string, report: ReportViolation) => void) {
  return (args: ResourceValidationArgs, report: ReportViolation) => {
    const at = POD_PATHS[args.type];
    const pod = at?.(args.props);
    if (!pod) return;
    check(args, pod, describeResource(args.type, args.props, args.name), report);
  };
}

export function forType(type: string, check: (props: Props, what: string, report: ReportViolation, args: ResourceValidationArgs) => void) {
  return (args: ResourceValidationArgs, report: ReportViolation) => {
    if (args.type === type) check(args.props, describeResource(args.type, args.props, args.name), report, args);
  };
}

/** Tag and digest of an image reference, by the distribution/reference grammar; undefined if it does not parse. */
export const parseImage = (image: string): { tag?: string; digest?: string } | undefined => {
  try {
    const ref = parseFamiliarName(image);
    return { tag: ref.tag, digest: ref.digest };
  } catch {
    return undefined;
  }
};

// ------------------------------------------------------ workload resources ----
