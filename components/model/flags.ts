// R-PD-8: the feature-flags document the pods read from a mounted file.
import type { StackConfig } from "../config/schema";

export function flagsDocument(cfg: Pick<StackConfig, "environment" | "featureFlags">) {
  return {
    environment: cfg.environment,
    flags: cfg.featureFlags.map((f) => ({
      key: f.key,
      enabled: f.enabled,
      percentage: f.percentage,
      userTargeting: f.userTargeting,
      environmentRestrictions: f.environmentRestrictions,
      // Evaluated here so the app and the reviewer agree on what applies to this stack.
      activeInThisEnvironment:
        f.enabled && (f.environmentRestrictions.length === 0 || f.environmentRestrictions.includes(cfg.environment)),
    })),
  };
}
