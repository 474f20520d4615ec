// Pod and container security contexts that Pod Security Admission's `restricted` level
// admits (R-WL-3, R-WL-9): one home for the pods this program declares and for the
// add-on charts' values.

/** Non-root UID/GID of the platform image (R-WL-3). */
export const RUN_AS = 10001;

/** Pod security context of every pod this program declares, and of the add-on charts' pods (R-WL-3, R-WL-9). */
export function hardenedPod(runAs = RUN_AS, group = runAs) {
  return { runAsNonRoot: true, runAsUser: runAs, runAsGroup: group, fsGroup: group, seccompProfile: { type: "RuntimeDefault" } };
}

/** Container security context of every container this program declares (R-WL-3, PSA restricted). */
export function hardenedContainer(runAs = RUN_AS) {
  return {
    runAsNonRoot: true,
    runAsUser: runAs,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/**
 * Container security context for an add-on chart's containers: what PSA restricted asks,
 * with the image's own user; a read-only root unless the image writes to it.
 */
export const chartContainer = (readOnlyRoot = true) => ({
  allowPrivilegeEscalation: false,
  ...(readOnlyRoot ? { readOnlyRootFilesystem: true } : {}),
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
});
