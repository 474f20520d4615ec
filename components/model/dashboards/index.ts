// Grafana dashboards as code (R-MON-3), built with @grafana/grafana-foundation-sdk, one
// board per file. Each dashboard is a plain JSON object; components/monitoring/dashboards.ts
// ships them as ConfigMaps the Grafana sidecar loads, the render writes them to
// rendered/<stack>/grafana/*.json. Queries use one fixed window,
// monitoring.grafana.rateWindow (no Grafana variables), so every one of them can be
// checked as PromQL by promtool.
import { DashboardArgs, DashboardSpec, boardContext } from "./common";
import { executive } from "./executive";
import { incident } from "./incident";
import { mcp } from "./mcp";
import { operations } from "./operations";
import { security } from "./security";

export { DATASOURCE, DashboardSpec, dashboardQueries, healthSteps, resourceSteps } from "./common";

/** The five boards, in the order the render lists them. */
export function dashboards(cfg: DashboardArgs): DashboardSpec[] {
  const c = boardContext(cfg);
  return [executive(c), operations(c), incident(c), mcp(c), security(c)];
}
