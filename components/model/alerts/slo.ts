// SLO alerting (R-AL-19): multi-window, multi-burn-rate error-budget alerts for the
// availability and latency SLOs (Google SRE workbook, ch. 5), with their own recording
// rules. Targets, windows, factors, severities and priorities come from
// `alerting.slo`, per environment: prod pages, staging and dev do not.
import { AlertArgs, AlertBuilder, BY, GroupBuild, Recorder, SVC_WHERE, group, leMatcher, nsSel, ratioExpr, sumRate, win } from "./common";

export const SLO_GROUP = "agent-platform.slo";

export function sloGroup(cfg: AlertArgs): GroupBuild {
  const slo = cfg.alerting.slo;
  const ns = nsSel(cfg);
  const rec = new Recorder();
  const alerts = new AlertBuilder(cfg, SLO_GROUP);
  const requests = (w: string) => rec.add(`slo:http_requests:rate${w}`, sumRate(`http_requests_total{${ns}}`, w));
  const sli = {
    availability: (w: string) =>
      rec.add(`slo:http_errors:ratio_rate${w}`, ratioExpr(`http_requests_total{${ns},code=~"5.."}`, `http_requests_total{${ns}}`, w)),
    latency: (w: string) =>
      rec.add(
        `slo:http_latency_misses:ratio_rate${w}`,
        `1 - (sum by (${BY}) (rate(http_request_duration_seconds_bucket{${ns},${leMatcher(slo.latency.thresholdSeconds)}}[${w}]))` +
          ` / sum by (${BY}) (rate(http_request_duration_seconds_count{${ns}}[${w}])))`,
      ),
  };
  for (const [alert, what] of [
    ["ErrorBudgetBurn", "availability"],
    ["LatencyBudgetBurn", "latency"],
  ] as const) {
    const objective = slo[what];
    const target = objective.target;
    const budget = 1 - target;
    const targetText = `${+(target * 100).toPrecision(6)}%`;
    const sliText = what === "availability" ? "ratio of 5xx responses" : `ratio of requests slower than ${slo.latency.thresholdSeconds}s`;
    for (const kind of ["fastBurn", "slowBurn"] as const) {
      const b = objective[kind];
      const pairs = b.windows.map((p) => {
        const th = +(p.factor * budget).toPrecision(6);
        const [lw, sw] = [win(p.long), win(p.short)];
        return `(${sli[what](lw)} > ${th} and ${sli[what](sw)} > ${th} and on(${BY}) ${requests(lw)} >= ${cfg.alerting.guards.requestsPerSecond})`;
      });
      const longest = Math.max(...b.windows.map((p) => p.long.seconds));
      alerts.add({
        requirement: "R-AL-19", alert, severity: b.severity, priority: b.priority,
        signal: `${sliText} (burning the ${targetText} ${what} SLO's budget)`, value: "", op: ">", threshold: b.windows[0].factor,
        format: "percent", for: b.for, detection: { kind: "burn", basis: longest }, expr: pairs.join(" or "),
        labels: { slo: what, burn: kind === "fastBurn" ? "fast" : "slow" },
        condition: b.windows.map((p) => `burn rate > ${p.factor}× over ${win(p.long)} and ${win(p.short)}`).join(", or "),
        summary:
          kind === "fastBurn"
            ? `Fast ${what} error-budget burn: the ${targetText} SLO is at risk within hours`
            : `Slow ${what} error-budget burn: the ${targetText} SLO will be missed at this pace`,
        where: SVC_WHERE,
      });
    }
  }
  return group(cfg, SLO_GROUP, rec, alerts);
}
