// What each add-on may do cluster-wide (R-WL-9): the privileges summary's table.
import type { StackConfig } from "../../config/schema";

export interface ClusterAccess {
  who: string;
  scope: string;
  secrets: "none" | "own namespace" | "cluster-wide";
  why: string;
}

/**
 * What the add-ons get from their charts' RBAC with our values (R-WL-9): the render's
 * privileges summary prints it, so a reviewer sees every cluster-wide grant and its reason.
 */
export function clusterAccess(cfg: Pick<StackConfig, "monitoring" | "delivery"> & Partial<Pick<StackConfig, "cluster">>): ClusterAccess[] {
  const out: ClusterAccess[] = [];
  if (cfg.monitoring.install) {
    out.push(
      { who: "prometheus-operator", scope: "ClusterRole", secrets: "cluster-wide", why: "writes the generated Prometheus/Alertmanager config Secrets and reads the credentials monitors reference (chart RBAC; no narrower mode)" },
      { who: "prometheus", scope: "ClusterRole", secrets: "none", why: "discovers scrape targets: nodes, pods, services, endpoints" },
      { who: "kube-state-metrics", scope: "ClusterRole", secrets: "none", why: "lists the objects it reports on; the secrets collector is off" },
      { who: "grafana", scope: `Role in ${cfg.monitoring.namespace}`, secrets: "none", why: "its sidecars read dashboard and data-source ConfigMaps there only" },
      { who: "node-exporter, blackbox exporter", scope: "none", secrets: "none", why: "no Kubernetes API access (no token mounted for the blackbox exporter)" },
    );
  }
  if (cfg.delivery.installController && cfg.delivery.strategy !== "rolling") {
    out.push({
      who: "argo-rollouts controller",
      scope: "ClusterRole",
      secrets: "cluster-wide",
      why: "reads Secrets that analyses and notifications reference in the Rollouts' namespaces (chart RBAC; clusterInstall); its plugin binary is pinned by sha256",
    });
  }
  if (cfg.cluster?.metricsServer.install) {
    out.push({
      who: "metrics-server",
      scope: "ClusterRole",
      secrets: "none",
      why: "reads nodes' and pods' resource usage from the kubelets (nodes/metrics) for metrics.k8s.io; delegates authentication to the API server (chart RBAC)",
    });
  }
  return out;
}
