// The logs-and-traces stack's base (R-OBS): what every environment shares. Retention,
// storage and sampling differ per environment and are stated in dev.ts, staging.ts and
// prod.ts. Pure data.
import type { DeepPartial } from "./base";
import type { Profile } from "../schema";

// R-OBS: the logs-and-traces stack. Charts as checked (docs/observability.md): the
// opentelemetry-collector chart 0.170.0 (collector 0.158.0, contrib image), loki 18.11.0
// (Loki 3.7) and tempo 2.2.4 (Tempo 2.10), both from grafana-community/helm-charts, where
// Grafana moved its community charts in 2026.
export const OBSERVABILITY: DeepPartial<Profile["observability"]> = {
  install: true,
  namespace: "observability",
  agentNamespace: "observability-agent",
  charts: { collector: "0.170.0", loki: "18.11.0", tempo: "2.2.4" },
  logs: { volumeSize: "10Gi" },
  traces: { volumeSize: "10Gi", sampling: { slowThreshold: "2s", decisionWait: "10s" } },
  collector: {
    agentResources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    gatewayResources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    queueSize: 5000,
  },
  storeResources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "2Gi" } },
  // R-OBS-6: off but in prod; Route 53 checks from three continents, three failures in a row.
  uptime: { enabled: false, requestInterval: 30, failureThreshold: 3, regions: ["us-east-1", "eu-west-1", "ap-southeast-1"] },
};

