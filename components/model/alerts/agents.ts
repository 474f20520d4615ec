// Agent signals (R-AL-8..10, R-AL-12..14, R-AL-17): task failure and completion, spawn
// failures, task duration, swarm coordination and agents per pod. Every ratio carries a
// minimum-volume guard (R-AL-23): a handful of events never pages.
import type { RuleSettings } from "../../config/alerting";
import { AlertArgs, AlertBuilder, BY, GroupBuild, POD_WHERE, Recorder, SVC_WHERE, group, nsSel, ratioExpr, sumRate, win } from "./common";

export const AGENTS_GROUP = "agent-platform.agents";

export function agentsGroup(cfg: AlertArgs): GroupBuild {
  const rules = cfg.alerting.rules;
  const guards = cfg.alerting.guards;
  const ns = nsSel(cfg);
  const rec = new Recorder();
  const alerts = new AlertBuilder(cfg, AGENTS_GROUP);
  const windowed = (r: RuleSettings) => ({ kind: "window" as const, basis: r.window!.seconds });

  const tasks = (w: string) => rec.add(`service:tasks:rate${w}`, sumRate(`tasks_total{${ns}}`, w));
  const taskGuard = (w: string) => ({ on: BY, expr: `${tasks(w)} >= ${guards.tasksPerSecond}` });
  const taskRatio = (status: string, w: string) =>
    rec.add(`service:tasks_${status}:ratio_rate${w}`, ratioExpr(`tasks_total{${ns},status="${status}"}`, `tasks_total{${ns}}`, w));
  const spawns = (w: string) => rec.add(`service:agent_spawn:rate${w}`, sumRate(`agent_spawn_total{${ns}}`, w));
  const swarm = (w: string) => rec.add(`service:swarm_coordination:rate${w}`, sumRate(`swarm_coordination_total{${ns}}`, w));
  const swarmGuard = (w: string) => ({ on: BY, expr: `${swarm(w)} >= ${guards.swarmCoordinationsPerSecond}` });
  const swarmRatio = (result: string, w: string) =>
    rec.add(
      `service:swarm_coordination_${result}:ratio_rate${w}`,
      ratioExpr(`swarm_coordination_total{${ns},result="${result}"}`, `swarm_coordination_total{${ns}}`, w),
    );

  for (const sev of ["warning", "critical"] as const) {
    const e = rules.agentErrorRate[sev];
    const ew = win(e.window!);
    alerts.add({
      requirement: "R-AL-8", alert: "AgentErrorRate", severity: sev, priority: e.priority,
      signal: `share of agent tasks failing over ${ew}`, value: taskRatio("failed", ew), op: ">", threshold: e.threshold!, format: "percent",
      for: e.for!, detection: windowed(e), guard: taskGuard(ew), summary: "Agents are failing tasks", where: SVC_WHERE,
    });
    const d = rules.taskDuration[sev];
    const dw = win(d.window!);
    const p95 = rec.add(
      `service:task_duration_seconds:p95_rate${dw}`,
      `histogram_quantile(0.95, sum by (${BY}, le) (rate(task_duration_seconds_bucket{${ns}}[${dw}])))`,
    );
    alerts.add({
      requirement: "R-AL-10", alert: "TaskDurationHigh", severity: sev, priority: d.priority,
      signal: `p95 task duration over ${dw}`, value: p95, op: ">", threshold: d.threshold!, format: "seconds",
      for: d.for!, detection: windowed(d), guard: taskGuard(dw), summary: "Agent tasks run towards their timeout", where: SVC_WHERE,
    });
    const a = rules.agentsPerPod[sev];
    alerts.add({
      requirement: "R-AL-17", alert: "AgentsPerPodHigh", severity: sev, priority: a.priority,
      signal: "active agents per pod", value: `max by (namespace, service, pod) (agents_active{${ns}})`, op: ">",
      threshold: a.threshold!, format: "number", for: a.for!, detection: { kind: "gauge", basis: cfg.monitoring.scrapeInterval.seconds },
      summary: "Too many agents on one pod (optimal 10-15)", where: POD_WHERE,
    });
  }

  // R-AL-9 / R-PD-5: spawn failures > 50 % for 2 min (the canary rollback uses the same numbers).
  const s = rules.agentSpawnFailures.critical;
  const sw = win(s.window!);
  alerts.add({
    requirement: "R-AL-9, R-PD-5", alert: "AgentSpawnFailures", severity: "critical", priority: s.priority,
    signal: `share of agent spawns failing over ${sw}`,
    value: rec.add(`service:agent_spawn_failure:ratio_rate${sw}`, ratioExpr(`agent_spawn_total{${ns},result="failure"}`, `agent_spawn_total{${ns}}`, sw)),
    op: ">", threshold: s.threshold!, format: "percent", for: s.for!, detection: windowed(s),
    guard: { on: BY, expr: `${spawns(sw)} >= ${guards.agentSpawnsPerSecond}` },
    summary: "Agents cannot be spawned", where: SVC_WHERE,
  });

  const sf = rules.swarmFailures.warning;
  const sfw = win(sf.window!);
  alerts.add({
    requirement: "R-AL-12", alert: "SwarmCoordinationFailures", severity: "warning", priority: sf.priority,
    signal: `share of swarm coordinations failing over ${sfw}`, value: swarmRatio("failure", sfw), op: ">", threshold: sf.threshold!,
    format: "percent", for: sf.for!, detection: windowed(sf), guard: swarmGuard(sfw), summary: "Swarm coordination failing", where: SVC_WHERE,
  });
  const tc = rules.taskCompletion.warning;
  const tcw = win(tc.window!);
  alerts.add({
    requirement: "R-AL-13", alert: "LowTaskCompletionRate", severity: "warning", priority: tc.priority,
    signal: `task completion rate over ${tcw} (target 95%)`, value: taskRatio("completed", tcw), op: "<", threshold: tc.threshold!,
    format: "percent", for: tc.for!, detection: windowed(tc), guard: taskGuard(tcw),
    summary: "Fewer tasks complete than the 95% target", where: SVC_WHERE,
  });
  const se = rules.swarmEfficiency.warning;
  const sew = win(se.window!);
  alerts.add({
    requirement: "R-AL-14", alert: "LowSwarmEfficiency", severity: "warning", priority: se.priority,
    signal: `swarm efficiency, successful coordinations over ${sew} (target 80%)`, value: swarmRatio("success", sew), op: "<",
    threshold: se.threshold!, format: "percent", for: se.for!, detection: windowed(se), guard: swarmGuard(sew),
    summary: "Swarm efficiency below target", where: SVC_WHERE,
  });
  return group(cfg, AGENTS_GROUP, rec, alerts);
}
