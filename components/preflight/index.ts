// The preflight (R-ENV-14): asks the live cluster (through the kubeconfig `pulumi up`
// uses) and the image registry whether what the stack needs and does not install itself
// is there (model/prerequisites.ts), and answers with one line per missing prerequisite
// naming it, what needs it and how to provide it. index.ts runs it before anything is
// declared, so `pulumi preview` stops at once; `npm run preflight -- <stack>` runs it
// alone. Real clients only: @kubernetes/client-node for the cluster, the AWS SDK's ECR
// client for the registry (the same credential chain the AWS provider uses).
import type { Check, Prerequisite } from "../model/prerequisites";

type K8s = typeof import("@kubernetes/client-node", { with: { "resolution-mode": "import" } });

export interface ClusterAccess {
  /** Kubeconfig text; the ambient one (KUBECONFIG, ~/.kube/config) when absent. */
  kubeconfig?: string;
  context?: string;
}

export interface Finding {
  prerequisite: Prerequisite;
  /** "missing": the cluster lacks it; "unknown": it could not be checked (the reason says why). */
  status: "present" | "missing" | "unknown";
  detail?: string;
}

async function kubeClients(access: ClusterAccess) {
  // An ES module: loaded with import(), as the program is CommonJS.
  const k8s: K8s = await import("@kubernetes/client-node");
  const kc = new k8s.KubeConfig();
  if (access.kubeconfig) kc.loadFromString(access.kubeconfig);
  else kc.loadFromDefault();
  if (access.context) kc.setCurrentContext(access.context);
  return {
    server: kc.getCurrentCluster()?.server ?? "(no cluster in the kubeconfig)",
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    storage: kc.makeApiClient(k8s.StorageV1Api),
  };
}

type Clients = Awaited<ReturnType<typeof kubeClients>>;

const statusOf = (e: unknown): number | undefined => (e as { code?: unknown }).code as number | undefined;

/** One failed request as a short reason (the HTTP status, or the client's error). */
function reason(e: unknown): string {
  const code = statusOf(e);
  if (typeof code === "number") return `HTTP ${code}`;
  const cause = (e as { cause?: { code?: string } }).cause?.code;
  return cause ?? String((e as Error).message ?? e).split("\n")[0];
}

/** The in-tree provisioners the CSI migration hands to a CSI driver (KEP-625), which must then be installed. */
const MIGRATED: Record<string, string> = {
  "kubernetes.io/aws-ebs": "ebs.csi.aws.com",
  "kubernetes.io/gce-pd": "pd.csi.storage.gke.io",
  "kubernetes.io/azure-disk": "disk.csi.azure.com",
  "kubernetes.io/cinder": "cinder.csi.openstack.org",
  "kubernetes.io/vsphere-volume": "csi.vsphere.vmware.com",
};
const DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";

async function csiDriverPresent(c: Clients, name: string): Promise<boolean> {
  try {
    await c.storage.readCSIDriver({ name });
    return true;
  } catch (e) {
    if (statusOf(e) === 404) return false;
    throw e;
  }
}

async function checkCluster(c: Clients, check: Exclude<Check, { kind: "image" }>): Promise<{ ok: boolean; detail?: string }> {
  switch (check.kind) {
    case "served": {
      const [group, version] = check.groupVersion.split("/");
      try {
        const list = await c.custom.getAPIResources({ group, version });
        const served = new Set((list.resources ?? []).map((r) => r.name));
        const lacking = check.resources.filter((r) => !served.has(r));
        return lacking.length ? { ok: false, detail: `${check.groupVersion} does not serve ${lacking.join(", ")}` } : { ok: true };
      } catch (e) {
        const code = statusOf(e);
        // 404: the group/version is not registered; 503: an aggregated API whose server is not available.
        if (code === 404) return { ok: false, detail: `${check.groupVersion} is not served` };
        if (code === 503) return { ok: false, detail: `${check.groupVersion} is registered but not available (HTTP 503)` };
        throw e;
      }
    }
    case "object": {
      try {
        if (check.namespace) {
          await c.custom.getNamespacedCustomObject({ group: check.group, version: check.version, namespace: check.namespace, plural: check.plural, name: check.name });
        } else {
          await c.custom.getClusterCustomObject({ group: check.group, version: check.version, plural: check.plural, name: check.name });
        }
        return { ok: true };
      } catch (e) {
        if (statusOf(e) === 404) return { ok: false, detail: "not found" };
        throw e;
      }
    }
    case "csiDriver":
      return (await csiDriverPresent(c, check.name)) ? { ok: true } : { ok: false, detail: `no CSIDriver ${check.name}` };
    case "storageClass": {
      const classes = (await c.storage.listStorageClass()).items;
      const cls = check.name
        ? classes.find((s) => s.metadata?.name === check.name)
        : classes.find((s) => s.metadata?.annotations?.[DEFAULT_CLASS] === "true");
      if (!cls) return { ok: false, detail: check.name ? "not found" : `no StorageClass is annotated ${DEFAULT_CLASS}=true` };
      const provisioner = cls.provisioner;
      if (provisioner === "kubernetes.io/no-provisioner") {
        return { ok: false, detail: `${cls.metadata?.name} provisions nothing (kubernetes.io/no-provisioner): claims stay Pending` };
      }
      // An in-tree provisioner works only through the CSI driver the migration hands it to; a
      // CSI driver (by its name, `*.csi.*`) must be registered. Any other external provisioner
      // (e.g. rancher.io/local-path) provisions on its own: accepted, and said.
      const driver = MIGRATED[provisioner] ?? (/(^|\.)csi(\.|$)/.test(provisioner) ? provisioner : undefined);
      if (!driver) return { ok: true, detail: `${cls.metadata?.name} uses ${provisioner}, not a CSI driver` };
      return (await csiDriverPresent(c, driver))
        ? { ok: true }
        : { ok: false, detail: `${cls.metadata?.name} provisions through ${driver}, which is not installed (no CSIDriver ${driver})` };
    }
  }
}

async function checkImage(check: Extract<Check, { kind: "image" }>): Promise<{ ok: boolean; detail?: string }> {
  const { ECRClient, DescribeImagesCommand } = await import("@aws-sdk/client-ecr");
  const client = new ECRClient({ region: check.region });
  try {
    await client.send(
      new DescribeImagesCommand({
        registryId: check.registryId,
        repositoryName: check.repository,
        imageIds: [check.digest ? { imageDigest: check.digest } : { imageTag: check.tag }],
      }),
    );
    return { ok: true };
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === "ImageNotFoundException") return { ok: false, detail: `not in ${check.registryId}/${check.repository}` };
    if (name === "RepositoryNotFoundException") return { ok: false, detail: `no repository ${check.repository} in ${check.registryId} (${check.region})` };
    throw e;
  } finally {
    client.destroy();
  }
}

/**
 * Checks every prerequisite the cluster must provide. A prerequisite that cannot be checked
 * (no access, cluster unreachable) is "unknown" with the reason, never "present".
 */
export async function runPreflight(prereqs: Prerequisite[], access: ClusterAccess, opts: { registry?: boolean } = {}): Promise<Finding[]> {
  const wanted = prereqs.filter((p) => p.providedBy === "cluster" && (opts.registry !== false || p.check.kind !== "image"));
  const needsCluster = wanted.some((p) => p.check.kind !== "image");
  let clients: Clients | undefined;
  let clusterError: string | undefined;
  if (needsCluster) {
    try {
      clients = await kubeClients(access);
    } catch (e) {
      clusterError = `the kubeconfig cannot be used: ${String((e as Error).message ?? e).split("\n")[0]}`;
    }
  }
  const findings: Finding[] = [];
  for (const p of wanted) {
    try {
      const r = p.check.kind === "image" ? await checkImage(p.check) : clients ? await checkCluster(clients, p.check) : undefined;
      if (!r) findings.push({ prerequisite: p, status: "unknown", detail: clusterError });
      else findings.push({ prerequisite: p, status: r.ok ? "present" : "missing", detail: r.detail });
    } catch (e) {
      const where = p.check.kind === "image" ? "the registry" : `the cluster at ${clients?.server}`;
      findings.push({ prerequisite: p, status: "unknown", detail: `could not ask ${where}: ${reason(e)}` });
    }
  }
  return findings;
}

/** One line per prerequisite that is not there (or could not be checked). */
export function findingLines(findings: Finding[]): string[] {
  return findings
    .filter((f) => f.status !== "present")
    .map((f) => {
      const p = f.prerequisite;
      const state = f.status === "missing" ? "missing" : "not checked";
      return `${state}: ${p.what}${f.detail ? ` (${f.detail})` : ""}; needed by ${p.why}; provide it: ${p.fix}`;
    });
}
