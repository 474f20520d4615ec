// Schema validators for rendered objects: kubernetes-models for the core API, the
// @kubernetes-models packages for the CRDs this program declares.
import type { Manifest } from "../../render/manifests";

type Model = new (data: unknown) => { validate(): void };

const CRD_PACKAGES: Record<string, string> = {
  "argoproj.io": "@kubernetes-models/argo-rollouts",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

/** The model class for an apiVersion/kind, e.g. apps/v1 Deployment or argoproj.io/v1alpha1 Rollout. */
export function modelFor(m: Pick<Manifest, "apiVersion" | "kind">): Model | undefined {
  const group = m.apiVersion.includes("/") ? m.apiVersion.split("/")[0] : "";
  const pkg = CRD_PACKAGES[group] ?? "kubernetes-models";
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`${pkg}/${m.apiVersion}`)[m.kind];
  } catch {
    return undefined;
  }
}
