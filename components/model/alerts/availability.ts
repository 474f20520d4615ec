// Availability (R-AL-15, R-AL-16, R-PD-5): uptime of the basic probe, consecutive probe
// failures per layer, scrape coverage, and the dead-man's-switch heartbeat (R-MON-5).
import { AlertArgs, AlertBuilder, GroupBuild, Recorder, group, nsSel, win } from "./common";
import { METRICS_JOB } from "../names";

export const AVAILABILITY_GROUP = "agent-platform.availability";

const PROBE_RULE = { basic: "probeBasic", functional: "probeFunctional", integration: "probeIntegration" } as const;

export function availabilityGroup(cfg: AlertArgs): GroupBuild {
  const rules = cfg.alerting.rules;
  const ns = nsSel(cfg);
  const rec = new Recorder();
  const alerts = new AlertBuilder(cfg, AVAILABILITY_GROUP);
  const probes = cfg.monitoring.probes;

  const up = rules.availability.warning;
  const uw = win(up.window!);
  alerts.add({
    requirement: "R-AL-15", alert: "AvailabilityBelowTarget", severity: "warning", priority: up.priority,
    signal: `uptime of the /health probe over ${uw} (target 99.9%)`,
    value: `avg by (namespace) (avg_over_time(probe_success{${ns},layer="basic"}[${uw}]))`, op: "<",
    threshold: up.threshold!, format: "percent", for: up.for!, detection: { kind: "window", basis: up.window!.seconds },
    staticService: true, summary: "Availability below target", where: `over the last ${uw}`,
  });

  // R-AL-16 / R-PD-5: more than N consecutive failures. The rule reads the latest probe
  // result (no window to count samples in, so no dependence on the phase between probe and
  // evaluation) and must hold for N probe intervals: N tolerated failures, then the next
  // failed probe fires it.
  for (const layer of ["basic", "functional", "integration"] as const) {
    const r = rules[PROBE_RULE[layer]].critical;
    const p = probes[layer];
    const tolerated = r.threshold!;
    const forSeconds = tolerated * p.interval.seconds;
    const sel = `probe_success{${ns},layer="${layer}"}`;
    alerts.add(
      {
        requirement: layer === "basic" ? "R-AL-16, R-PD-5" : "R-AL-16", alert: "SyntheticProbeFailing", severity: "critical",
        priority: r.priority, signal: `${layer} probe (${p.path}) success`, value: sel, op: "==", threshold: 0, format: "number",
        for: { text: win(forSeconds), seconds: forSeconds },
        detection: { kind: "probe", basis: p.interval.seconds },
        expr: `max by (namespace, layer) (${sel}) == 0`,
        condition: `more than ${tolerated} consecutive failures (every ${p.interval.text})`,
        staticService: true, labels: { layer }, summary: `Synthetic ${layer} probe failing`, where: `for ${p.path}`,
        description: `The ${layer} probe of ${p.path} failed more than ${tolerated} consecutive times (every ${p.interval.text}, timeout ${p.timeout.text}).`,
      },
      tolerated,
    );
  }

  // Not in the R-AL table, but every other alert is blind without it.
  const m = rules.metricsMissing.critical;
  alerts.add({
    requirement: "R-AL-16", alert: "PlatformMetricsMissing", severity: "critical", priority: m.priority,
    signal: "number of platform metrics targets up", value: "", op: "==", threshold: 0, format: "number", for: m.for!,
    detection: { kind: "gauge", basis: cfg.monitoring.scrapeInterval.seconds },
    expr: `absent(up{${ns},job="${METRICS_JOB}"} == 1)`, condition: "no target up",
    staticService: true, labels: { namespace: cfg.namespace },
    summary: "Prometheus cannot scrape any platform pod: every other alert is blind", where: `(job ${METRICS_JOB})`,
    description: `No target of job ${METRICS_JOB} in namespace ${cfg.namespace} has been up for ${m.for!.text}.`,
  });

  // The dead-man's switch: always firing; silence of it means the pipeline is broken.
  alerts.add({
    requirement: "R-MON-5", alert: "Watchdog", severity: "info", priority: "P3", signal: "heartbeat", value: "vector(1)", op: "==",
    threshold: 1, format: "number", for: { text: "0s", seconds: 0 }, detection: { kind: "always", basis: 0 }, expr: "vector(1)",
    condition: "always", staticService: true, labels: { namespace: cfg.namespace },
    summary: "Alerting pipeline heartbeat (always firing)", where: "",
    description: "Always firing. If the dead-man's switch stops receiving it, Prometheus or Alertmanager is down.",
  });
  return group(cfg, AVAILABILITY_GROUP, rec, alerts);
}
