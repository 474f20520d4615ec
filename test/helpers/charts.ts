// What a chart's own templates refuse at `helm install`, for the charts whose templates
// validate values (Helm runs them inside `pulumi up`, where a refusal stops the release):
// the rule as the template states it, over the chart's defaults for the keys it reads.
// Read at the pinned chart versions; each function names the file.

const int = (v: unknown) => (typeof v === "number" ? Math.trunc(v) : Number.parseInt(String(v ?? 0), 10) || 0);
const dig = (v: Record<string, any>, ...path: string[]) => path.reduce<any>((o, k) => (o && typeof o === "object" ? o[k] : undefined), v);

/**
 * grafana-community/helm-charts charts/loki 18.11.0, templates/validate.yaml: the replica
 * rules across the monolithic, simple-scalable and distributed targets, and the storage
 * they need (`loki.isUsingObjectStorage`, templates/_helpers.tpl). Defaults from the
 * chart's values.yaml: singleBinary 0 replicas; read, write and backend 3 each; every
 * distributed target 0; storage type filesystem.
 */
export function lokiChartRefusals(values: Record<string, any>): string[] {
  const replicas = (component: string, byDefault: number) => int(dig(values, component, "replicas") ?? byDefault);
  const mode = String(values.deploymentMode ?? "Monolithic");
  const monolithic = replicas("singleBinary", 0);
  const objectStorage = ["s3", "gcs", "azure", "swift", "alibabacloud", "cos", "bos"].includes(String(dig(values, "loki", "storage", "type") ?? "filesystem"));
  const scalable = ["backend", "read", "write"].some((c) => replicas(c, 3) > 0);
  const distributed = ["ingester", "distributor", "querier", "queryFrontend", "queryScheduler", "indexGateway", "compactor", "ruler"].some((c) => replicas(c, 0) > 0);
  const out: string[] = [];
  if (!objectStorage && monolithic > 1) out.push("Cannot run more than 1 Monolithic replica without an object storage backend.");
  if (!objectStorage && monolithic === 0 && (scalable || distributed)) out.push("Cannot run scalable targets (backend, read, write) or distributed targets without an object storage backend.");
  if (scalable && distributed && mode !== "SimpleScalable<->Distributed") out.push("You have more than zero replicas configured for scalable targets (backend, read, write) and distributed targets.");
  if (monolithic > 0 && distributed) out.push("You have more than zero replicas configured for both the monolithic and distributed targets.");
  if (monolithic > 0 && scalable && mode !== "Monolithic<->SimpleScalable" && mode !== "SingleBinary<->SimpleScalable") {
    out.push("You have more than zero replicas configured for both the monolithic and simple scalable targets.");
  }
  const schema = dig(values, "loki", "schemaConfig");
  if ((schema === undefined || (typeof schema === "object" && Object.keys(schema).length === 0)) && !dig(values, "loki", "useTestSchema")) out.push("You must provide a schema_config for Loki.");
  return out;
}
