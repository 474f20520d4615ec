// Saturation (R-AL-5..7, R-AL-11, R-PD-5): CPU and memory of the container limit, volume
// usage and resident memory against the pod's own baseline. Kubernetes, cAdvisor and
// kubelet series carry no `service` label: the alerts add it.
import { AlertArgs, AlertBuilder, GroupBuild, POD_WHERE, Recorder, group, nsSel, win } from "./common";
import { CONTAINER, METRICS_JOB } from "../names";

export const RESOURCES_GROUP = "agent-platform.resources";

export function resourcesGroup(cfg: AlertArgs): GroupBuild {
  const rules = cfg.alerting.rules;
  const ns = nsSel(cfg);
  const rec = new Recorder();
  const alerts = new AlertBuilder(cfg, RESOURCES_GROUP);
  const scrape = cfg.monitoring.scrapeInterval.seconds;
  const gauge = { kind: "gauge" as const, basis: scrape };
  const limit = (resource: string) =>
    `max by (namespace, pod) (kube_pod_container_resource_limits{${ns},container="${CONTAINER}",resource="${resource}"})`;

  const memory = rec.add(
    "pod:container_memory_working_set:ratio_limit",
    `max by (namespace, pod) (container_memory_working_set_bytes{${ns},container="${CONTAINER}"}) / ${limit("memory")}`,
  );
  // Volumes: the platform's PVCs (if any) and the monitoring stack's own (Prometheus TSDB,
  // Alertmanager, Grafana). The platform's scratch emptyDirs are bounded by sizeLimit.
  const volumeNs = `namespace=~"${cfg.namespace}|${cfg.monitoring.namespace}"`;
  const disk = rec.add(
    "persistentvolumeclaim:kubelet_volume_stats_used:ratio",
    `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${volumeNs}})` +
      ` / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{${volumeNs}})`,
  );
  // The pod's own baseline: the median of its resident memory over the history window
  // (robust to warm-up and to short spikes).
  const h = win(cfg.alerting.baselines.memoryHistory);
  const median = rec.add(
    `pod:process_resident_memory_bytes:median${h}`,
    `quantile_over_time(0.5, process_resident_memory_bytes{${ns},job="${METRICS_JOB}"}[${h}])`,
  );

  for (const sev of ["warning", "critical"] as const) {
    const cpu = rules.cpuSaturation[sev];
    const w = win(cpu.window!);
    const cpuRatio = rec.add(
      `pod:container_cpu_usage:ratio_limit_rate${w}`,
      `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${ns},container="${CONTAINER}"}[${w}])) / ${limit("cpu")}`,
    );
    alerts.add({
      requirement: "R-AL-5", alert: "CPUSaturation", severity: sev, priority: cpu.priority,
      signal: `CPU use (${w}) of the container limit`, value: cpuRatio, op: ">", threshold: cpu.threshold!, format: "percent",
      for: cpu.for!, detection: { kind: "window", basis: cpu.window!.seconds }, staticService: true,
      summary: "Platform pod close to its CPU limit (throttling)", where: POD_WHERE,
    });
    const mem = rules.memorySaturation[sev];
    alerts.add({
      requirement: "R-AL-6", alert: "MemorySaturation", severity: sev, priority: mem.priority,
      signal: "memory working set of the container limit", value: memory, op: ">", threshold: mem.threshold!, format: "percent",
      for: mem.for!, detection: gauge, staticService: true,
      summary: "Platform pod close to its memory limit (OOM kill ahead)", where: POD_WHERE,
    });
    const d = rules.diskUsage[sev];
    alerts.add({
      requirement: "R-AL-7", alert: "VolumeDiskUsage", severity: sev, priority: d.priority,
      signal: "volume usage", value: disk, op: ">", threshold: d.threshold!, format: "percent",
      for: d.for!, detection: gauge, staticService: true,
      summary: "Persistent volume filling up", where: "on PVC {{ $labels.persistentvolumeclaim }}",
    });
    const leak = rules.memoryLeak[sev];
    alerts.add({
      requirement: "R-AL-11", alert: "MemoryLeakSuspected", severity: sev, priority: leak.priority,
      signal: `resident memory against the pod's own ${h} median`, op: ">",
      value: `process_resident_memory_bytes{${ns},job="${METRICS_JOB}"} / ${median}`,
      threshold: leak.threshold!, format: "times", for: leak.for!, detection: gauge, staticService: true,
      summary: "Resident memory keeps growing (leak suspected)", where: POD_WHERE,
    });
  }
  // R-PD-5: memory > 90 % for 3 min pages (and rolls a canary back: the same numbers).
  const sustained = rules.memorySustained.critical;
  alerts.add({
    requirement: "R-AL-6, R-PD-5", alert: "MemorySaturationSustained", severity: "critical", priority: sustained.priority,
    signal: "memory working set of the container limit", value: memory, op: ">", threshold: sustained.threshold!, format: "percent",
    for: sustained.for!, detection: gauge, staticService: true,
    summary: "Platform pod held above its memory ceiling (R-PD-5 rollback condition)", where: POD_WHERE,
  });
  return group(cfg, RESOURCES_GROUP, rec, alerts);
}
