// MCP server board: success ratio, requests by result, memory store operations. (R-MON-3)
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { BoardContext, DashboardSpec, board, q, spec, thresholds } from "./common";

/** MCP server board: success ratio, requests by result, memory store operations. */
export function mcp({ cfg, ns, s, g, w }: BoardContext): DashboardSpec {
  return spec(
    board(cfg, "mcp-server", `Agent platform (${cfg.environment}) · MCP server status`, g.refresh.mcpServer.text, ["mcp"])
      .withPanel(
        new stat.PanelBuilder()
          .title(`MCP success ratio (${w})`)
          .withTarget(
            q(`sum(rate(mcp_requests_total{${ns},result="success"}[${w}])) / sum(rate(mcp_requests_total{${ns}}[${w}]))`),
          )
          .unit("percentunit")
          .thresholds(
            thresholds([
              { value: null, color: "red" },
              { value: g.mcpSuccess.yellowFrom, color: "yellow" },
              { value: g.mcpSuccess.greenFrom, color: "green" },
            ]),
          )
          .span(8)
          .height(6),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("MCP requests by result")
          .withTarget(q(`sum by (result) (rate(mcp_requests_total{${ns}}[${w}]))`, "{{result}}"))
          .span(16)
          .height(6),
      )
      .withPanel(
        new timeseries.PanelBuilder()
          .title("Memory store operations")
          .withTarget(q(`sum by (op, result) (rate(memory_store_operations_total{${ns}}[${w}]))`, "{{op}} {{result}}"))
          .span(24)
          .height(8),
      ),
  );
}
