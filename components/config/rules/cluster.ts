// Cross-field rules of the cluster prerequisites (R-ENV-14).
import type { StackConfig } from "../schema";
import type { Ref } from "./common";

/** Cluster prerequisites the stack installs must say what they install (R-ENV-14). */
export function clusterProblems(cfg: StackConfig, ref: Ref): string[] {
  const c = cfg.cluster;
  const p: string[] = [];
  if (c.gateway.install && c.gateway.className === undefined) {
    p.push(`${ref(["cluster", "gateway", "className"])}: is required to install the Gateway (cluster.gateway.install): the GatewayClass of the cluster's Gateway API implementation`);
  }
  if (c.gateway.install && c.gateway.protocol === "HTTPS" && c.gateway.tlsSecretName === undefined) {
    p.push(`${ref(["cluster", "gateway", "tlsSecretName"])}: is required for an HTTPS listener (the kubernetes.io/tls Secret in ${cfg.delivery.gateway.namespace})`);
  }
  if (c.gateway.install && c.gateway.protocol === "HTTP" && c.gateway.tlsSecretName !== undefined) {
    p.push(`${ref(["cluster", "gateway", "tlsSecretName"])}: an HTTP listener terminates no TLS; use protocol "HTTPS" or drop the Secret`);
  }
  if (c.storageClass.install && c.storageClass.name === undefined) {
    p.push(`${ref(["cluster", "storageClass", "name"])}: is required to install the StorageClass (cluster.storageClass.install): the name the volumes claim, e.g. gp3`);
  }
  return p;
}

