// Data safety (R-DATA-3): the newest successful export must be younger than twice the
// export schedule. kube-state-metrics reports when the CronJob last succeeded
// (kube_cronjob_status_last_successful_time, STABLE in its docs/metrics/workload/
// cronjob-metrics.md) and when it was created (kube_cronjob_created): a CronJob that has
// never succeeded is measured from its creation, so a first export that never works is
// noticed too.
import { AlertArgs, AlertBuilder, GroupBuild, Recorder, group, win } from "./common";
import { DATA_NAMES } from "../names";

export const DATA_GROUP = "agent-platform.data";

export function dataGroup(cfg: AlertArgs): GroupBuild {
  const rec = new Recorder();
  const alerts = new AlertBuilder(cfg, DATA_GROUP);
  const r = cfg.alerting.rules.exportStale.warning;
  const period = cfg.backups.export.schedule.maxGapSeconds;
  const limit = r.threshold! * period;
  const sel = `namespace="${cfg.namespace}",cronjob="${DATA_NAMES.exportCronJob}"`;
  const age = rec.add(
    "cronjob:export_age_seconds:max",
    // `or` keeps the creation-based age only where no success series exists (same labels).
    `max by (namespace, cronjob) (time() - kube_cronjob_status_last_successful_time{${sel}})` +
      ` or max by (namespace, cronjob) (time() - kube_cronjob_created{${sel}})`,
  );
  alerts.add({
    requirement: "R-DATA-3",
    alert: "ExportStale",
    severity: "warning",
    priority: r.priority,
    signal: "age of the newest successful memory-store export",
    value: age,
    op: ">",
    threshold: limit,
    format: "seconds",
    for: r.for!,
    detection: { kind: "gauge", basis: cfg.monitoring.scrapeInterval.seconds },
    condition: `older than ${r.threshold} × the schedule (${win(period)}) = ${win(limit)}`,
    staticService: true,
    summary: "The memory-store export is stale: no successful export for twice its schedule",
    where: `(CronJob ${DATA_NAMES.exportCronJob})`,
    description: `The newest successful run of CronJob ${DATA_NAMES.exportCronJob} in ${cfg.namespace} is {{ $value | humanizeDuration }} old; exports run "${cfg.backups.export.schedule.text}" (UTC), so more than ${win(limit)} means at least one export is missing.`,
  });
  return group(cfg, DATA_GROUP, rec, alerts);
}
