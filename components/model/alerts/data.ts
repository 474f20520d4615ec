// Data safety (R-DATA-3, R-DATA-8): the newest successful export must be younger than
// twice the export schedule, and the newest successful restore drill younger than its
// factor of the drill schedule (a drill succeeds only when the newest export restored
// and matched its manifest: the metric of R-DATA-8). kube-state-metrics reports when the CronJob last succeeded
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
  if (cfg.backups.drill.enabled) {
    const d = cfg.alerting.rules.drillStale.warning;
    const drillPeriod = cfg.backups.drill.schedule.maxGapSeconds;
    const drillLimit = d.threshold! * drillPeriod;
    const drillSel = `namespace="${cfg.namespace}",cronjob="${DATA_NAMES.drillCronJob}"`;
    const drillAge = rec.add(
      "cronjob:restore_drill_age_seconds:max",
      `max by (namespace, cronjob) (time() - kube_cronjob_status_last_successful_time{${drillSel}})` +
        ` or max by (namespace, cronjob) (time() - kube_cronjob_created{${drillSel}})`,
    );
    alerts.add({
      requirement: "R-DATA-8",
      alert: "RestoreDrillStale",
      severity: "warning",
      priority: d.priority,
      signal: "age of the newest successful restore drill",
      value: drillAge,
      op: ">",
      threshold: drillLimit,
      format: "seconds",
      for: d.for!,
      detection: { kind: "gauge", basis: cfg.monitoring.scrapeInterval.seconds },
      condition: `older than ${d.threshold} × the schedule (${win(drillPeriod)}) = ${win(drillLimit)}`,
      staticService: true,
      summary: "No restore drill has proven the exports restorable for too long",
      where: `(CronJob ${DATA_NAMES.drillCronJob})`,
      description: `The newest successful run of CronJob ${DATA_NAMES.drillCronJob} in ${cfg.namespace} is {{ $value | humanizeDuration }} old; drills run "${cfg.backups.drill.schedule.text}" (UTC), so more than ${win(drillLimit)} means the newest export has not been proven to restore.`,
    });
  }
  return group(cfg, DATA_GROUP, rec, alerts);
}
