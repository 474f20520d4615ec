// Turns a recorded resource graph into the files reviewers diff and validators read:
// Kubernetes objects as YAML in apply order, Helm releases as chart + version + values,
// AWS resources as JSON, and a summary table. Secrets are masked on the way out.
import { stringify } from "yaml";
import type { ClusterAccess } from "../components/model/addons";
import type { DeliveryPlan } from "../components/model/delivery";
import { formatDuration } from "../components/model/format";
import { MASK, RecordedOptions, RecordedResource, unwrap } from "./mockRuntime";

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
};

// Apply order, as Helm installs: cluster-wide and namespace scaffolding first, then
// identities and configuration, then workloads, then what watches them.
const KIND_ORDER = [
  "Namespace",
  "CustomResourceDefinition",
  "ResourceQuota",
  "LimitRange",
  "NetworkPolicy",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "Service",
  "Deployment",
  "StatefulSet",
  "Rollout",
  "Job",
  "CronJob",
  "HorizontalPodAutoscaler",
  "PodDisruptionBudget",
];

const HELM_TYPES = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"]);

export function isKubernetesObject(r: RecordedResource): boolean {
  return r.type.startsWith("kubernetes:") && !HELM_TYPES.has(r.type) && typeof r.inputs.kind === "string";
}

/** The Kubernetes objects of a graph, secrets masked, in apply order, each with the options the engine acts on. */
export function kubernetesObjects(resources: RecordedResource[]): Array<{ manifest: Manifest; options: RecordedOptions }> {
  const rank = (kind: string) => {
    const i = KIND_ORDER.indexOf(kind);
    return i === -1 ? KIND_ORDER.length : i;
  };
  return resources
    .filter(isKubernetesObject)
    .map((r) => ({ manifest: unwrap(r.inputs, "mask") as Manifest, options: r.options }))
    .sort(
      ({ manifest: a }, { manifest: b }) =>
        rank(a.kind) - rank(b.kind) ||
        a.kind.localeCompare(b.kind) ||
        String(a.metadata.namespace ?? "").localeCompare(String(b.metadata.namespace ?? "")) ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
}

/** The Kubernetes objects of a graph, secrets masked, in apply order. */
export function kubernetesManifests(resources: RecordedResource[]): Manifest[] {
  return kubernetesObjects(resources).map((o) => o.manifest);
}

/**
 * A YAML comment line with the resource options the program set (ignoreChanges,
 * dependsOn, protect, aliases, ...), or "" when it set none: comments keep the file a
 * plain manifest for validators and still show a changed option in the render diff.
 */
export function optionsComment(options: RecordedOptions): string {
  return Object.keys(options).length ? `# pulumi options: ${JSON.stringify(options)}\n` : "";
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, "-");

export interface RenderedFiles {
  files: Record<string, string>;
  manifests: Manifest[];
}

export function renderFiles(resources: RecordedResource[]): RenderedFiles {
  const files: Record<string, string> = {};
  const objects = kubernetesObjects(resources);
  const manifests = objects.map((o) => o.manifest);
  const texts = objects.map((o) => optionsComment(o.options) + stringify(o.manifest, { lineWidth: 0 }));
  manifests.forEach((m, i) => {
    const ns = m.metadata.namespace ? `${slug(String(m.metadata.namespace))}-` : "";
    const file = `kubernetes/${String(i + 1).padStart(3, "0")}-${slug(m.kind)}-${ns}${slug(m.metadata.name)}.yaml`;
    files[file] = texts[i];
  });
  files["kubernetes/all.yaml"] = texts.join("---\n");

  for (const r of resources.filter((x) => HELM_TYPES.has(x.type))) {
    const inputs = unwrap(r.inputs, "mask") as Record<string, unknown>;
    const release = {
      name: inputs.name ?? r.name,
      namespace: inputs.namespace,
      chart: inputs.chart,
      version: inputs.version,
      repository: (inputs.repositoryOpts as { repo?: string } | undefined)?.repo,
      values: inputs.values ?? {},
      ...(Object.keys(r.options).length ? { options: r.options } : {}),
    };
    files[`helm/${slug(r.name)}.yaml`] = stringify(release, { lineWidth: 0 });
  }

  for (const r of resources.filter((x) => x.type.startsWith("aws:"))) {
    const inputs = unwrap(r.inputs, "mask");
    files[`aws/${slug(r.type.split(":").pop()!)}-${slug(r.name)}.json`] =
      JSON.stringify({ type: r.type, name: r.name, inputs, ...(Object.keys(r.options).length ? { options: r.options } : {}) }, null, 2) + "\n";
  }

  files["resources.txt"] =
    resources
      .map((r) => `${r.type} ${r.name}${Object.keys(r.options).length ? ` ${JSON.stringify(r.options)}` : ""}`)
      .sort()
      .join("\n") + "\n";
  return { files, manifests };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}

type Container = { name: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } };
type Workload = Manifest & { spec: { replicas?: number; template: { spec: { containers: Container[] } } } };
type Hpa = Manifest & {
  spec: {
    minReplicas: number;
    maxReplicas: number;
    scaleTargetRef: { kind: string; name: string };
    metrics: Array<{ resource: { name: string; target: { averageUtilization: number } } }>;
  };
};

/** The delivery section of the summary: strategy, gates, stages, triggers and their worst-case times. */
export function deliverySummary(plan: DeliveryPlan): string {
  const out = [`Delivery: ${plan.strategy}`];
  if (plan.blueGreen) {
    out.push(
      `  active Service ${plan.blueGreen.activeService}, preview Service ${plan.blueGreen.previewService}; ` +
        `old colour kept ${plan.blueGreen.scaleDownDelay} after promotion`,
    );
  }
  for (const g of plan.gates) out.push(`  before traffic: ${g}`);
  if (plan.stages.length) {
    out.push(
      "",
      table([["STAGE", "WEIGHT", "DURATION", "SUCCESS CRITERIA"], ...plan.stages.map((s, i) => [String(i + 1), `${s.weight}%`, s.duration, s.criteria])]),
    );
    const limits = plan.stages.find((s) => s.limits)?.limits;
    if (limits) out.push(`  each stage ${limits} (Argo acts when a count exceeds its limit)`);
  }
  if (plan.triggers.length) {
    out.push(
      "",
      table([
        ["ROLLBACK TRIGGER", "CONDITION", "WORST CASE TO STABLE", "BREAKDOWN"],
        ...plan.triggers.map((t) => [t.trigger, t.condition, formatDuration(t.worstSeconds), t.breakdown]),
      ]),
    );
  }
  const r = plan.rollback;
  out.push(
    "",
    `Rollback: traffic shift ≤ ${formatDuration(r.trafficShiftSeconds)}, verified ${formatDuration(r.verificationSeconds)}, complete ≤ ${formatDuration(r.completeSeconds)}`,
    `Verdict: ${plan.verdict}`,
  );
  return out.join("\n");
}

/**
 * The privileges section (R-WL-9): per namespace the program owns, its PSA level (and the
 * reason for an exception), each NetworkPolicy's stated intent, and the add-ons' API access.
 */
export function privilegesSummary(manifests: Manifest[], access: ClusterAccess[]): string {
  const out = ["Privileges:"];
  for (const ns of manifests.filter((m) => m.kind === "Namespace")) {
    const labels = (ns.metadata.labels ?? {}) as Record<string, string>;
    const reason = ((ns.metadata.annotations ?? {}) as Record<string, string>)["agent-platform/pod-security-reason"];
    out.push(`  namespace ${ns.metadata.name}: PSA ${labels["pod-security.kubernetes.io/enforce"] ?? "(cluster default)"}${reason ? ` (${reason})` : ""}`);
    for (const p of manifests.filter((m) => m.kind === "NetworkPolicy" && m.metadata.namespace === ns.metadata.name)) {
      const why = ((p.metadata.annotations ?? {}) as Record<string, string>)["agent-platform/why"] ?? "";
      out.push(`    ${p.metadata.name}: ${why}`);
    }
  }
  if (access.length) {
    out.push("  add-on API access:");
    for (const a of access) out.push(`    ${a.who}: ${a.scope}; Secrets: ${a.secrets} (${a.why})`);
  }
  return out.join("\n");
}

export function summary(
  stack: string,
  resources: RecordedResource[],
  manifests: Manifest[],
  notes: string[] = [],
  plan?: DeliveryPlan,
  monitoring?: string,
  privileges?: string,
  data?: string,
  prerequisites?: string,
  verdicts?: string,
): string {
  const byKind = new Map<string, number>();
  for (const m of manifests) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
  for (const r of resources.filter((x) => !isKubernetesObject(x))) {
    const kind = r.type.startsWith("pulumi:providers:") ? `provider (${r.type.split(":").pop()})` : r.type;
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  const out: string[] = [`Stack ${stack}: ${resources.length} resources`, ""];
  out.push(table([["KIND", "COUNT"], ...[...byKind.entries()].map(([k, n]) => [k, String(n)])]));

  const hpas = manifests.filter((m) => m.kind === "HorizontalPodAutoscaler") as Hpa[];
  const workloads = manifests.filter((m) => ["Deployment", "Rollout", "StatefulSet"].includes(m.kind)) as Workload[];
  const rows = [["WORKLOAD", "REPLICAS", "HPA", "CONTAINER", "CPU REQ/LIM", "MEMORY REQ/LIM"]];
  for (const w of workloads) {
    const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === w.metadata.name && h.spec.scaleTargetRef.kind === w.kind);
    const hpaText = hpa
      ? `${hpa.spec.minReplicas}..${hpa.spec.maxReplicas} (${hpa.spec.metrics
          .map((m) => `${m.resource.name} ${m.resource.target.averageUtilization}%`)
          .join(", ")})`
      : "off";
    for (const c of w.spec.template.spec.containers) {
      const r = c.resources ?? {};
      rows.push([
        `${w.kind}/${w.metadata.name}`,
        w.spec.replicas === undefined ? "(HPA)" : String(w.spec.replicas),
        hpaText,
        c.name,
        `${r.requests?.cpu ?? "-"}/${r.limits?.cpu ?? "-"}`,
        `${r.requests?.memory ?? "-"}/${r.limits?.memory ?? "-"}`,
      ]);
    }
  }
  if (rows.length > 1) out.push("", table(rows));
  if (prerequisites) out.push("", prerequisites);
  if (plan) out.push("", deliverySummary(plan));
  if (verdicts) out.push("", verdicts);
  if (monitoring) out.push("", monitoring);
  if (data) out.push("", data);
  if (privileges) out.push("", privileges);
  if (notes.length) out.push("", ...notes.map((n) => `note: ${n}`));
  out.push("", `Secret values are masked as ${MASK}.`);
  return out.join("\n") + "\n";
}
