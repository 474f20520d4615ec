// Rules that relate two or more settings, by domain. Each message names every key
// involved with its value, and says when a value came from the environment profile rather
// than the stack file ("= 4 from the staging profile"), so the operator knows which one to
// change.
import type { StackConfig } from "../schema";
import { alertingProblems } from "./alerting";
import { clusterProblems } from "./cluster";
import type { Ref } from "./common";
import { dataProblems } from "./data";
import { deliveryProblems, pluginInstalled } from "./delivery";
import { monitoringProblems } from "./monitoring";
import { workloadProblems } from "./workload";

export type { Ref } from "./common";
export { lessSevere, warningSide } from "./alerting";
export { missingAws } from "./data";
export { pluginInstalled } from "./delivery";

/** Every cross-field problem of a parsed configuration, domain by domain. */
export function crossFieldProblems(cfg: StackConfig, ref: Ref): string[] {
  return [
    ...workloadProblems(cfg, ref),
    ...deliveryProblems(cfg, ref),
    ...monitoringProblems(cfg, ref),
    ...alertingProblems(cfg, ref),
    ...dataProblems(cfg, ref),
    ...clusterProblems(cfg, ref),
  ];
}

/** Settings no profile can know and a stack must state where they apply. */
export function missingRequired(cfg: StackConfig): string[] {
  const d = cfg.delivery;
  const p: string[] = [];
  if (pluginInstalled(cfg) && d.gatewayPlugin.sha256 === undefined) {
    p.push(
      `agent-platform:delivery.gatewayPlugin.sha256 is required and not set: the Argo Rollouts controller this stack installs downloads the ` +
        `Gateway API plugin ${d.gatewayPlugin.version} (linux-${d.gatewayPlugin.arch}) and must verify it; read the checksum as docs/delivery.md shows and run ` +
        `\`pulumi config set --path delivery.gatewayPlugin.sha256 <64 hex digits>\``,
    );
  }
  const u = cfg.observability.uptime;
  if (cfg.observability.install && u.enabled && u.url === undefined) {
    p.push(
      `agent-platform:observability.uptime.url is required and not set: the outside-in uptime check (R-OBS-6) must know the public health URL; ` +
        `run \`pulumi config set --path observability.uptime.url https://<your public host>${cfg.probes.healthPath}\``,
    );
  }
  if (u.enabled && !cfg.aws.enabled) {
    p.push("agent-platform:observability.uptime.enabled = true needs aws.enabled = true: the check runs in Route 53 and alarms in CloudWatch (R-OBS-6)");
  }
  const awaited = d.verdict.enabled && (d.strategy === "canary" || (d.strategy === "blueGreen" && d.blueGreen.autoPromotion));
  if (cfg.environment === "prod" && awaited && !d.verdict.image.includes("@")) {
    p.push(
      `agent-platform:delivery.verdict.image must be pinned by digest in prod (R-DATA-4) and is ${d.verdict.image}: read the digest ` +
        `(\`crane digest ${d.verdict.image}\`, or \`docker buildx imagetools inspect ${d.verdict.image}\`) and run ` +
        `\`pulumi config set --path delivery.verdict.image ${d.verdict.image}@sha256:<64 hex digits>\``,
    );
  }
  return p;
}

