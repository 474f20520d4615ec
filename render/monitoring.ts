// The monitoring part of the render (R-CI-4): the rule groups exactly as the
// PrometheusRule declares them (for promtool), the Alertmanager config with every
// receiver secret replaced by a masked stand-in (for amtool), and the dashboards exactly
// as their ConfigMaps carry them.
import { stringify } from "yaml";
import type { StackConfig } from "../components/config";
import { alertCatalogue } from "../components/model/alerts";
import { MASKED_RECEIVERS, PRIORITY_LIST, alertmanagerConfig, receiverFor } from "../components/model/alertmanager";
import type { Manifest } from "./manifests";

export function monitoringFiles(cfg: StackConfig, manifests: Manifest[]): Record<string, string> {
  const files: Record<string, string> = {};
  const rules = manifests.filter((m) => m.kind === "PrometheusRule");
  if (rules.length !== 1) throw new Error(`expected one PrometheusRule in the graph, found ${rules.length}`);
  const spec = (rules[0] as unknown as { spec: { groups: unknown[] } }).spec;
  files["prometheus/rules.yaml"] = stringify({ groups: spec.groups }, { lineWidth: 0 });

  if (cfg.monitoring.install) {
    files["alertmanager/alertmanager.yaml"] =
      "# Receiver keys and URLs are masked stand-ins; the cluster gets the real ones from\n" +
      "# Pulumi secrets, in the Secret alertmanager-agent-platform only.\n" +
      stringify(alertmanagerConfig(cfg, MASKED_RECEIVERS), { lineWidth: 0 });
  }

  for (const cm of manifests.filter((m) => m.kind === "ConfigMap" && (m.metadata.labels as Record<string, string> | undefined)?.grafana_dashboard === "1")) {
    for (const [key, json] of Object.entries((cm as unknown as { data: Record<string, string> }).data)) {
      files[`grafana/${key}`] = JSON.stringify(JSON.parse(json), null, 2) + "\n";
    }
  }
  return files;
}

export function monitoringSummary(cfg: StackConfig): string {
  const m = cfg.monitoring;
  const out = [
    m.install
      ? `Monitoring: kube-prometheus-stack ${m.chartVersion} in ${m.namespace} ` +
        `(Prometheus ×${m.prometheus.replicas}, retention ${m.prometheus.retention}, ${m.prometheus.storage.text}; Alertmanager ×${m.alertmanager.replicas})`
      : `Monitoring: not installed here (monitoring.install = false); rules, probes and dashboards target the existing stack`,
  ];
  const byPriority = new Map<string, string[]>();
  for (const a of alertCatalogue(cfg)) {
    const list = byPriority.get(a.priority) ?? [];
    list.push(`${a.alert}/${a.severity}`);
    byPriority.set(a.priority, list);
  }
  out.push(`  alerting: rules from the ${cfg.alerting.preset} preset with this stack's overrides, paging ${cfg.alerting.paging ? "on" : "off"}`);
  for (const p of PRIORITY_LIST) {
    const list = byPriority.get(p) ?? [];
    out.push(`  ${p} → ${receiverFor(p, cfg.alerting.paging)} (repeat ${cfg.alerting.routing[p].repeatInterval.text}): ${list.length} rule(s)`);
  }
  return out.join("\n");
}
