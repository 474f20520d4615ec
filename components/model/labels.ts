// Labels every object of the platform carries, from the environment alone.
import type { StackConfig } from "../config/schema";
import { APP_NAME } from "./names";

export type LabelArgs = Pick<StackConfig, "environment">;

export function selectorLabels(cfg: LabelArgs): Record<string, string> {
  return {
    "app.kubernetes.io/name": APP_NAME,
    "app.kubernetes.io/instance": `${APP_NAME}-${cfg.environment}`,
  };
}

export function commonLabels(cfg: LabelArgs): Record<string, string> {
  return {
    ...selectorLabels(cfg),
    "app.kubernetes.io/component": "api",
    "app.kubernetes.io/part-of": APP_NAME,
    "app.kubernetes.io/managed-by": "pulumi",
    "agent-platform/environment": cfg.environment,
  };
}

/** Labels of the memory store's objects and its backup jobs. */
export function dataLabels(cfg: LabelArgs): Record<string, string> {
  return { ...commonLabels(cfg), "app.kubernetes.io/component": "memory-store" };
}
