// rendered/<stack>/alerts.md: one stack's alerts with its own numbers, and the row
// helpers docs/alerts.md (tools/docs/alerts.ts) shares.
import type { StackConfig } from "../components/config";
import { CatalogueEntry, alertCatalogue } from "../components/model/alerts";
import { formatDuration } from "../components/model/format";

/** Matches the same rule across environments (a burn alert's severity differs per environment). */
export const key = (e: CatalogueEntry) => `${e.alert}/${e.rule.labels.burn ?? e.severity}/${e.rule.labels.layer ?? ""}`;
export const cond = (e: CatalogueEntry) => `${e.condition}${e.for !== "0s" && e.detection.kind !== "probe" ? ` for ${e.for}` : ""}`;
export const worst = (e: CatalogueEntry) =>
  e.detection.kind === "always" ? "—" : `${formatDuration(e.detection.worstSeconds)} (${e.detection.formula})`;
export const alertLink = (e: CatalogueEntry, base: string) =>
  `[${e.alert}](${base}${e.alert}.md)${e.rule.labels.layer ? ` (${e.rule.labels.layer})` : ""}`;

/** One stack's alerts with its own numbers (rendered/<stack>/alerts.md). */
export function stackAlertsMarkdown(stack: string, cfg: StackConfig): string {
  const rows = alertCatalogue(cfg).map(
    (e) => `| ${e.requirement} | ${alertLink(e, `${cfg.alerting.runbookBaseUrl}/`)} | ${e.severity} | ${e.priority} | ${e.signal} | ${cond(e)} | ${worst(e)} |`,
  );
  return [
    `# Alerts of stack ${stack}`,
    "",
    `Rules from the ${cfg.alerting.preset} preset with this stack's overrides; evaluated every ${cfg.alerting.evaluationInterval.text}.`,
    "",
    "| ID | alert | severity | priority | signal | condition | worst case |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

