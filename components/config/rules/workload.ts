// Cross-field rules of the workload (R-ENV-1..8, R-WL): autoscaling bounds, limits not
// below requests in every container block, mocked services only in dev, shutdown and
// probe timing, unique feature flags, egress exceptions inside their CIDR.
import { cidrContains } from "../fields";
import { Plain, isPlainObject } from "../merge";
import type { Path } from "../messages";
import type { StackConfig } from "../schema";
import type { Ref } from "./common";

/** Rules among the workload's own settings, and every container block's limits against its requests. */
export function workloadProblems(cfg: StackConfig, ref: Ref): string[] {
  const p: string[] = [];
  const a = cfg.autoscaling;
  if (a.minReplicas > a.maxReplicas) {
    p.push(`${ref(["autoscaling", "minReplicas"])}: must be ≤ ${ref(["autoscaling", "maxReplicas"])}`);
  }
  type Resources = StackConfig["resources"];
  const resourceBlocks: Array<[Path, Resources]> = [
    [["resources"], cfg.resources],
    [["namespaceLimits", "containerDefaults"], cfg.namespaceLimits.containerDefaults],
    [["memoryStore", "clientResources"], cfg.memoryStore.clientResources],
    [["memoryStore", "inCluster", "resources"], cfg.memoryStore.inCluster.resources],
    [["monitoring", "blackboxResources"], cfg.monitoring.blackboxResources],
    [["delivery", "controllerResources"], cfg.delivery.controllerResources],
    [["delivery", "migration", "resources"], cfg.delivery.migration.resources],
  ];
  for (const [at, r] of resourceBlocks) {
    for (const res of ["cpu", "memory"] as const) {
      if (r.limits[res].value < r.requests[res].value) {
        p.push(`${ref([...at, "limits", res])}: must be ≥ ${ref([...at, "requests", res])} (a limit below the request is rejected by Kubernetes)`);
      }
    }
  }
  if (cfg.externalServices === "mocked" && cfg.environment !== "dev") {
    p.push(`${ref(["externalServices"])}: only dev may mock external services; ${cfg.environment} must use "real" (R-ENV-8)`);
  }
  if (cfg.shutdown.terminationGracePeriod.seconds <= cfg.shutdown.preStopDelay.seconds) {
    p.push(
      `${ref(["shutdown", "terminationGracePeriod"])}: must be longer than ${ref(["shutdown", "preStopDelay"])}, or SIGTERM never gets time to finish tasks`,
    );
  }
  if (cfg.probes.livenessTimeout.seconds > cfg.probes.livenessPeriod.seconds) {
    p.push(`${ref(["probes", "livenessTimeout"])}: must not be longer than ${ref(["probes", "livenessPeriod"])}`);
  }
  const flagKeys = new Set<string>();
  cfg.featureFlags.forEach((f, i) => {
    if (flagKeys.has(f.key)) p.push(`${ref(["featureFlags", i, "key"])}: flag keys must be unique`);
    flagKeys.add(f.key);
  });

  cfg.network.egress.forEach((e, i) => {
    e.except.forEach((x, j) => {
      if (!cidrContains(e.cidr, x) || x === e.cidr) {
        p.push(`${ref(["network", "egress", i, "except", j])}: must lie inside ${ref(["network", "egress", i, "cidr"])} (Kubernetes rejects an ipBlock exception outside its CIDR)`);
      }
    });
  });
  return p;
}

/**
 * Settings the stack file states that could not take effect: a fixed replica count while
 * the HorizontalPodAutoscaler owns the count, or the autoscaler's bounds while it is off.
 * Rendering them silently would leave a stack file that says one thing and a cluster that
 * runs another.
 */
export function ineffectiveScaling(input: Plain, cfg: StackConfig, ref: Ref): string[] {
  const a = cfg.autoscaling;
  const stated = isPlainObject(input.autoscaling) ? Object.keys(input.autoscaling).filter((k) => k !== "enabled") : [];
  if (a.enabled && input.replicas !== undefined) {
    return [
      `${ref(["replicas"])}: has no effect while ${ref(["autoscaling", "enabled"])}: the HorizontalPodAutoscaler owns the count ` +
        `(${a.minReplicas}..${a.maxReplicas}); set autoscaling.minReplicas and autoscaling.maxReplicas instead, or autoscaling.enabled: false for a fixed count`,
    ];
  }
  if (!a.enabled && stated.length > 0) {
    return [
      `${stated.map((k) => ref(["autoscaling", k])).join(", ")}: ${stated.length === 1 ? "has" : "have"} no effect while ${ref(["autoscaling", "enabled"])}: ` +
        `the count is replicas (${cfg.replicas}); set autoscaling.enabled: true to autoscale, or remove ${stated.length === 1 ? "it" : "them"}`,
    ];
  }
  return [];
}
