// R-ENV-11: the rules that relate two or more settings (components/config/rules/),
// each at its edge: a value one step past it is refused with one problem that names both
// keys, says where a value came from, and what is allowed; the value at the edge is
// accepted. The refused cases of test/config/config.test.ts run through the render command;
// these call the parser directly, so they are cheap enough to state every edge.
import { strict as assert } from "assert";
import { lessSevere, warningSide } from "../../components/config/rules";
import { ConfigError, parseStackConfig } from "../../components/config";
import { Patch, problemsOf } from "../helpers/config";
import { stackRaw } from "../helpers/mocks";

interface Edge {
  what: string;
  stack: string;
  /** One step past the edge: refused with exactly one problem matching `says`. */
  refused: Patch;
  says: RegExp;
  /** At the edge: accepted. */
  accepted: Patch;
  /** Where the accepted patch applies, if not `stack`. */
  acceptedStack?: string;
}

const AWS_DEV = {
  enabled: true,
  accountId: "123456789012",
  vpcId: "vpc-0a1b2c3d4e5f60201",
  privateSubnetIds: ["subnet-0a1b2c3d4e5f60211", "subnet-0a1b2c3d4e5f60212"],
  clusterSecurityGroupId: "sg-0a1b2c3d4e5f60221",
  oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLEDEV",
};

const FLAG = { key: "planner-v2", enabled: true, userTargeting: [], environmentRestrictions: [] };

const STEP = { duration: "10m", maxErrorRate: 0.02, latencyQuantile: "p95", maxLatencyMs: 500 };

const EDGES: Edge[] = [
  // ---- the workload ----
  {
    what: "HPA min equal to max is accepted, one above is not",
    stack: "prod",
    refused: { autoscaling: { minReplicas: 11 } },
    says: /^agent-platform:autoscaling\.minReplicas = 11: must be ≤ agent-platform:autoscaling\.maxReplicas = 10 from the prod profile$/,
    accepted: { autoscaling: { minReplicas: 10 } },
  },
  {
    what: "a memory limit equal to its request is accepted, one byte under is not",
    stack: "prod",
    refused: { resources: { limits: { memory: "4294967295" }, requests: { memory: "4Gi" } } },
    says: /^agent-platform:resources\.limits\.memory = "4294967295": must be ≥ agent-platform:resources\.requests\.memory = "4Gi" \(a limit below the request is rejected by Kubernetes\)$/,
    accepted: { resources: { limits: { memory: "4294967296" }, requests: { memory: "4Gi" } } },
  },
  {
    what: "only dev may mock external services (R-ENV-8)",
    stack: "staging",
    refused: { externalServices: "mocked" },
    says: /^agent-platform:externalServices = "mocked": only dev may mock external services; staging must use "real" \(R-ENV-8\)$/,
    accepted: { externalServices: "real" },
  },
  {
    what: "the termination grace period must outlast the preStop delay",
    stack: "prod",
    refused: { shutdown: { terminationGracePeriod: "15s" } },
    says: /^agent-platform:shutdown\.terminationGracePeriod = "15s": must be longer than agent-platform:shutdown\.preStopDelay = "15s" from the prod profile, or SIGTERM never gets time to finish tasks$/,
    accepted: { shutdown: { terminationGracePeriod: "16s" } },
  },
  {
    what: "the liveness timeout may equal its period, not exceed it",
    stack: "prod",
    refused: { probes: { livenessTimeout: "31s" } },
    says: /^agent-platform:probes\.livenessTimeout = "31s": must not be longer than agent-platform:probes\.livenessPeriod = "30s" from the prod profile$/,
    accepted: { probes: { livenessTimeout: "30s" } },
  },
  // ---- delivery ----
  {
    what: "a canary stage must last at least one analysis interval",
    stack: "prod",
    refused: { delivery: { analysis: { interval: "601s" } } },
    says: /^agent-platform:delivery\.canarySteps\[0\]\.duration = "10m" from the prod profile: must be at least agent-platform:delivery\.analysis\.interval = "601s" \(one measurement per stage\)$/,
    accepted: { delivery: { analysis: { interval: "600s" } } },
  },
  {
    what: "canary weights must rise: an equal weight is refused, one more accepted",
    stack: "prod",
    refused: { delivery: { canarySteps: [{ ...STEP, weight: 5 }, { ...STEP, weight: 5 }] } },
    says: /^agent-platform:delivery\.canarySteps\[1\]\.weight = 5: canary weights must rise stage by stage \(stage 1 has 5\)$/,
    accepted: { delivery: { canarySteps: [{ ...STEP, weight: 5 }, { ...STEP, weight: 6 }] } },
  },
  {
    what: "a healthy release must pass the canary's checks (its error rate below every criterion)",
    stack: "prod",
    refused: { delivery: { verdicts: { healthyErrorRate: 0.015 } } },
    says: /^agent-platform:delivery\.verdicts\.healthyErrorRate = 0\.015: must be below agent-platform:delivery\.canarySteps\[1\]\.maxErrorRate = 0\.015 from the prod profile \(the lowest error criterion\): a healthy release must pass the canary's checks$/,
    accepted: { delivery: { verdicts: { healthyErrorRate: 0.0149 } } },
  },
  {
    what: "a healthy latency's p99 lies above its median",
    stack: "prod",
    refused: { delivery: { verdicts: { healthyLatency: { medianMs: 600, p99Ms: 600 } } } },
    says: /^agent-platform:delivery\.verdicts\.healthyLatency\.p99Ms = 600: must be above agent-platform:delivery\.verdicts\.healthyLatency\.medianMs = 600$/,
    accepted: { delivery: { verdicts: { healthyLatency: { medianMs: 599, p99Ms: 600 } } } },
  },
  {
    what: "the error-rate rollback window spans two scrapes",
    stack: "prod",
    refused: { delivery: { rollback: { errorRate: { window: "29s" } } } },
    says: /^agent-platform:delivery\.rollback\.errorRate\.window = "29s": must span at least two scrapes \(2 × agent-platform:monitoring\.scrapeInterval = "15s" from the prod profile\), or rate\(\) has nothing to compute$/,
    accepted: { delivery: { rollback: { errorRate: { window: "30s" } } } },
  },
  {
    what: "the p99 rollback's held window spans two scrapes",
    stack: "prod",
    refused: { delivery: { rollback: { latencyP99: { sustained: "29s" } } } },
    says: /^agent-platform:delivery\.rollback\.latencyP99\.sustained = "29s": must span at least two scrapes/,
    accepted: { delivery: { rollback: { latencyP99: { sustained: "30s" } } } },
  },
  {
    what: "feature flag keys must be unique",
    stack: "prod",
    refused: { featureFlags: [{ ...FLAG, percentage: 10 }, { ...FLAG, percentage: 20 }] },
    says: /^agent-platform:featureFlags\[1\]\.key = "planner-v2": flag keys must be unique$/,
    accepted: { featureFlags: [{ ...FLAG, percentage: 10 }, { ...FLAG, key: "planner-v3", percentage: 20 }] },
  },
  // ---- monitoring ----
  {
    what: "a probe's timeout may equal its interval, not exceed it",
    stack: "prod",
    refused: { monitoring: { probes: { basic: { timeout: "31s" } } } },
    says: /^agent-platform:monitoring\.probes\.basic\.timeout = "31s": must not be longer than agent-platform:monitoring\.probes\.basic\.interval = "30s" from the prod profile \(Prometheus rejects a scrape timeout above its interval\)$/,
    accepted: { monitoring: { probes: { basic: { timeout: "30s" } } } },
  },
  {
    what: "TSDB retention size equal to the volume is refused, 1 MiB under it accepted",
    stack: "prod",
    // Prometheus' units are powers of 1024: 200GB is the 200Gi volume exactly.
    refused: { monitoring: { prometheus: { retentionSize: "200GB" } } },
    says: /^agent-platform:monitoring\.prometheus\.retentionSize = "200GB": must be below agent-platform:monitoring\.prometheus\.storage = "200Gi" from the prod profile, or the volume fills before retention deletes anything$/,
    accepted: { monitoring: { prometheus: { retentionSize: "204799MB" } } },
  },
  {
    what: "health-score colours rise: green equal to yellow is refused",
    stack: "prod",
    refused: { monitoring: { grafana: { healthScore: { greenFrom: 70 } } } },
    says: /^agent-platform:monitoring\.grafana\.healthScore\.greenFrom = 70: must be above agent-platform:monitoring\.grafana\.healthScore\.yellowFrom = 70 from the prod profile \(colours rise in order\)$/,
    accepted: { monitoring: { grafana: { healthScore: { greenFrom: 71 } } } },
  },
  {
    what: "resource-gauge colours rise: red equal to orange is refused",
    stack: "prod",
    refused: { monitoring: { grafana: { resourceGauges: { redFrom: 85 } } } },
    says: /^agent-platform:monitoring\.grafana\.resourceGauges\.redFrom = 85: must be above agent-platform:monitoring\.grafana\.resourceGauges\.orangeFrom = 85 from the prod profile/,
    accepted: { monitoring: { grafana: { resourceGauges: { redFrom: 86 } } } },
  },
  {
    what: "MCP success colours rise: green equal to yellow is refused",
    stack: "prod",
    refused: { monitoring: { grafana: { mcpSuccess: { greenFrom: 0.95 } } } },
    says: /^agent-platform:monitoring\.grafana\.mcpSuccess\.greenFrom = 0\.95: must be above agent-platform:monitoring\.grafana\.mcpSuccess\.yellowFrom = 0\.95 from the prod profile/,
    accepted: { monitoring: { grafana: { mcpSuccess: { greenFrom: 0.951 } } } },
  },
  // ---- network ----
  {
    what: "an egress exception equal to its CIDR is refused, a half of it accepted",
    stack: "prod",
    refused: { network: { egress: [{ cidr: "10.0.0.0/8", except: ["10.0.0.0/8"], ports: [443] }] } },
    says: /^agent-platform:network\.egress\[0\]\.except\[0\] = "10\.0\.0\.0\/8": must lie inside agent-platform:network\.egress\[0\]\.cidr = "10\.0\.0\.0\/8" \(Kubernetes rejects an ipBlock exception outside its CIDR\)$/,
    accepted: { network: { egress: [{ cidr: "10.0.0.0/8", except: ["10.0.0.0/9"], ports: [443] }] } },
  },
  // ---- the memory store and its backups (R-DATA) ----
  {
    what: "RDS needs AWS",
    stack: "dev",
    refused: { memoryStore: { mode: "rds" } },
    says: /^agent-platform:memoryStore\.mode = "rds": RDS needs agent-platform:aws\.enabled = false from the dev profile; use "inCluster" or "external" without AWS$/,
    // dev may also run RDS without Multi-AZ, deletion protection or 30 days of recovery.
    accepted: { memoryStore: { mode: "rds", rds: { multiAz: false, deletionProtection: false, backupRetentionDays: 7 } }, aws: AWS_DEV },
  },
  {
    what: "staging keeps deletion protection on (R-DATA-0)",
    stack: "staging",
    refused: { memoryStore: { rds: { deletionProtection: false } } },
    says: /^agent-platform:memoryStore\.rds\.deletionProtection = false: staging keeps deletion protection on \(R-DATA-0\)$/,
    accepted: { memoryStore: { rds: { deletionProtection: true } } },
  },
  {
    what: "staging keeps 30 days of point-in-time recovery (R-DATA-2)",
    stack: "staging",
    refused: { memoryStore: { rds: { backupRetentionDays: 29 } } },
    says: /^agent-platform:memoryStore\.rds\.backupRetentionDays = 29: must be at least 30 \(R-DATA-2: point-in-time recovery over 30 days\)$/,
    accepted: { memoryStore: { rds: { backupRetentionDays: 30 } } },
  },
  {
    what: "storage autoscaling may stop at the allocated size, not below it",
    stack: "prod",
    refused: { memoryStore: { rds: { maxAllocatedStorageGb: 99 } } },
    says: /^agent-platform:memoryStore\.rds\.maxAllocatedStorageGb = 99: must be at least agent-platform:memoryStore\.rds\.allocatedStorageGb = 100 from the prod profile$/,
    accepted: { memoryStore: { rds: { maxAllocatedStorageGb: 100 } } },
  },
  {
    what: "Performance Insights on a t3.small is refused, on a t3.medium accepted",
    stack: "prod",
    refused: { memoryStore: { rds: { instanceClass: "db.t3.small" } } },
    says: /^agent-platform:memoryStore\.rds\.performanceInsights = true from the prod profile: agent-platform:memoryStore\.rds\.instanceClass = "db\.t3\.small" does not support Performance Insights/,
    accepted: { memoryStore: { rds: { instanceClass: "db.t3.medium" } } },
  },
  {
    what: "a 29-minute maintenance window is refused, 30 minutes accepted",
    stack: "prod",
    refused: { memoryStore: { rds: { maintenanceWindow: "sun:03:30-sun:03:59" } } },
    says: /^agent-platform:memoryStore\.rds\.maintenanceWindow = "sun:03:30-sun:03:59": must be at least 30 minutes long \(RDS\)$/,
    accepted: { memoryStore: { rds: { maintenanceWindow: "sun:03:30-sun:04:00" } } },
  },
  {
    what: "a daily backup window across midnight overlaps Monday's first minutes (the week wraps), and touches without overlap",
    stack: "prod",
    refused: { memoryStore: { rds: { backupWindow: "23:30-00:30", maintenanceWindow: "mon:00:00-mon:00:30" } } },
    says: /^agent-platform:memoryStore\.rds\.maintenanceWindow = "mon:00:00-mon:00:30": must not overlap agent-platform:memoryStore\.rds\.backupWindow = "23:30-00:30" \(RDS rejects it\)$/,
    accepted: { memoryStore: { rds: { backupWindow: "23:30-00:30", maintenanceWindow: "mon:00:30-mon:01:00" } } },
  },
  {
    what: "a weekly maintenance window across the week's end overlaps a daily backup window after midnight",
    stack: "prod",
    refused: { memoryStore: { rds: { backupWindow: "00:10-00:40", maintenanceWindow: "sun:23:45-mon:00:15" } } },
    says: /^agent-platform:memoryStore\.rds\.maintenanceWindow = "sun:23:45-mon:00:15": must not overlap agent-platform:memoryStore\.rds\.backupWindow = "00:10-00:40"/,
    accepted: { memoryStore: { rds: { backupWindow: "00:15-00:45", maintenanceWindow: "sun:23:45-mon:00:15" } } },
  },
  {
    what: "exports need AWS",
    stack: "dev",
    refused: { backups: { enabled: true } },
    says: /^agent-platform:backups\.enabled = true: exports go to the S3 bucket and need agent-platform:aws\.enabled = false from the dev profile$/,
    accepted: { backups: { enabled: true }, aws: AWS_DEV },
  },
  {
    what: "an external memory store is not exported by this stack",
    stack: "dev",
    refused: { memoryStore: { mode: "external" }, backups: { enabled: true }, aws: AWS_DEV },
    says: /^agent-platform:backups\.enabled = true: an external memory store is backed up by its owner; turn exports off or use "rds"$/,
    accepted: { memoryStore: { mode: "external" }, backups: { enabled: false }, aws: AWS_DEV },
  },
  {
    what: "staging exports the memory store (R-DATA-2); dev need not",
    stack: "staging",
    refused: { backups: { enabled: false } },
    says: /^agent-platform:backups\.enabled = false: staging exports the memory store daily \(R-DATA-2\)$/,
    accepted: { backups: { enabled: true } },
  },
  {
    what: "staging keeps exports 30 days (R-DATA-2)",
    stack: "staging",
    refused: { backups: { retention: { exportsDays: 29 } } },
    says: /^agent-platform:backups\.retention\.exportsDays = 29: must be at least 30 \(R-DATA-2\)$/,
    accepted: { backups: { retention: { exportsDays: 30 } } },
  },
  {
    what: "dev may keep exports under 30 days; staging may not",
    stack: "staging",
    refused: { backups: { retention: { exportsDays: 29 } } },
    says: /^agent-platform:backups\.retention\.exportsDays = 29: must be at least 30 \(R-DATA-2\)$/,
    accepted: { backups: { retention: { exportsDays: 29 } } },
    acceptedStack: "dev",
  },
  {
    what: "the dump client must be as new as the server; a client pinned by digest alone names no version and is accepted",
    stack: "prod",
    refused: { memoryStore: { clientImage: `postgres:15.8-bookworm@sha256:${"0".repeat(64)}` } },
    says: /^agent-platform:memoryStore\.clientImage = "postgres:15\.8-bookworm@sha256:0+\.\.\.: its PostgreSQL 15 client cannot dump a 16 server \(agent-platform:memoryStore\.rds\.engineVersion = "16" from the prod profile\); use a 16 or newer image$/,
    accepted: { memoryStore: { clientImage: `postgres@sha256:${"0".repeat(64)}` } },
  },
  {
    what: "a daily backup window across midnight overlaps Sunday's last minutes (before the week wraps)",
    stack: "prod",
    refused: { memoryStore: { rds: { backupWindow: "23:30-00:30", maintenanceWindow: "sun:23:00-sun:23:59" } } },
    says: /^agent-platform:memoryStore\.rds\.maintenanceWindow = "sun:23:00-sun:23:59": must not overlap agent-platform:memoryStore\.rds\.backupWindow = "23:30-00:30"/,
    accepted: { memoryStore: { rds: { backupWindow: "23:30-00:30", maintenanceWindow: "sun:22:30-sun:23:30" } } },
  },
  {
    what: "the OIDC provider is in the stack's account",
    stack: "prod",
    refused: { backups: { ciWriter: { oidcProviderArn: "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com" } } },
    says: /^agent-platform:backups\.ciWriter\.oidcProviderArn = "arn:aws:iam::210987654321:oidc-provider\/token\.actions\.githubusercontent\.com": is in account 210987654321, not agent-platform:aws\.accountId = "123456789012"$/,
    accepted: { backups: { ciWriter: { oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" } } },
  },
  // ---- settings no profile can know ----
  {
    what: "the database VPC is required where RDS runs",
    stack: "staging",
    refused: { aws: { vpcId: null } },
    says: /^agent-platform:aws\.vpcId is required and not set: the VPC of the database; run `pulumi config set --path aws\.vpcId vpc-…`$/,
    accepted: {},
  },
  {
    what: "the private subnets are required where RDS runs, one command per subnet",
    stack: "staging",
    refused: { aws: { privateSubnetIds: null } },
    says: /^agent-platform:aws\.privateSubnetIds is required and not set: the DB subnet group \(two or more zones\); run `pulumi config set --path 'aws\.privateSubnetIds\[0\]' subnet-…` for each subnet$/,
    accepted: {},
  },
  {
    what: "the OIDC provider is required where exports run (IRSA)",
    stack: "staging",
    refused: { aws: { oidcProviderArn: null } },
    says: /^agent-platform:aws\.oidcProviderArn is required and not set: the export and restore roles trust it \(IRSA\); run `pulumi config set --path aws\.oidcProviderArn arn:aws:iam::<account>:oidc-provider\/…`$/,
    accepted: {},
  },
  {
    what: "the account is required wherever AWS is on; the VPC only where RDS runs",
    stack: "dev",
    refused: { aws: { ...AWS_DEV, accountId: null, vpcId: null, privateSubnetIds: null, clusterSecurityGroupId: null, oidcProviderArn: null } },
    says: /^agent-platform:aws\.accountId is required and not set: the account every AWS resource goes to; run `pulumi config set --path aws\.accountId '"123456789012"'`$/,
    accepted: { aws: { ...AWS_DEV, vpcId: null, privateSubnetIds: null, clusterSecurityGroupId: null, oidcProviderArn: null } },
  },
  // ---- alerting ----
  {
    what: "a warning threshold equal to the critical one is refused",
    stack: "prod",
    refused: { alerting: { rules: { errorRate: { warning: { threshold: 0.05 } } } } },
    says: /^agent-platform:alerting\.rules\.errorRate\.warning\.threshold = 0\.05: the warning must be less severe than the critical \(below agent-platform:alerting\.rules\.errorRate\.critical\.threshold = 0\.05 from the prod profile\)$/,
    accepted: { alerting: { rules: { errorRate: { warning: { threshold: 0.049 } } } } },
  },
  {
    what: "a critical alert may share its warning's priority, not fall below it",
    stack: "prod",
    refused: { alerting: { rules: { errorRate: { critical: { priority: "P3" } } } } },
    says: /^agent-platform:alerting\.rules\.errorRate\.critical\.priority = "P3": a critical alert must not have a lower priority than its warning \(agent-platform:alerting\.rules\.errorRate\.warning\.priority = "P2" from the prod profile\)$/,
    accepted: { alerting: { rules: { errorRate: { critical: { priority: "P2" } } } } },
  },
  {
    what: "an alert's rate window of exactly two scrapes is accepted",
    stack: "prod",
    refused: { alerting: { rules: { agentErrorRate: { warning: { window: "29s" } } } } },
    says: /^agent-platform:alerting\.rules\.agentErrorRate\.warning\.window = "29s": must span at least two scrapes/,
    accepted: { alerting: { rules: { agentErrorRate: { warning: { window: "30s" } } } } },
  },
  {
    what: "the traffic baseline's minimum history may equal its history, not exceed it",
    stack: "prod",
    refused: { alerting: { baselines: { trafficMinHistory: "86401s" } } },
    says: /^agent-platform:alerting\.baselines\.trafficMinHistory = "86401s": must not be longer than agent-platform:alerting\.baselines\.trafficHistory = "1d" from the prod profile$/,
    accepted: { alerting: { baselines: { trafficMinHistory: "86400s" } } },
  },
  {
    what: "a burn-rate window's short window must be shorter than its long one",
    stack: "prod",
    refused: { alerting: { slo: { availability: { fastBurn: { windows: [{ long: "1h", short: "1h", factor: 14.4 }] } } } } },
    says: /^agent-platform:alerting\.slo\.availability\.fastBurn\.windows\[0\]\.short = "1h": must be shorter than agent-platform:alerting\.slo\.availability\.fastBurn\.windows\[0\]\.long = "1h"$/,
    accepted: { alerting: { slo: { availability: { fastBurn: { windows: [{ long: "1h", short: "59m", factor: 14.4 }] } } } } },
  },
  {
    what: "a burn factor whose threshold reaches 100 % errors could never fire (1000 × 0.001), 999 can",
    stack: "prod",
    refused: { alerting: { slo: { latency: { slowBurn: { windows: [{ long: "1d", short: "2h", factor: 1000 }] } } } } },
    says: /^agent-platform:alerting\.slo\.latency\.slowBurn\.windows\[0\]\.factor = 1000: with agent-platform:alerting\.slo\.latency\.target = 0\.999 from the prod profile the burn threshold 1 is at least 100 % errors, so the alert could never fire$/,
    accepted: { alerting: { slo: { latency: { slowBurn: { windows: [{ long: "1d", short: "2h", factor: 999 }] } } } } },
  },
  {
    what: "the latency SLO threshold must be a bucket bound",
    stack: "prod",
    refused: { alerting: { slo: { latency: { thresholdSeconds: 0.8 } } } },
    says: /^agent-platform:alerting\.slo\.latency\.thresholdSeconds = 0\.8: must be a bucket bound of http_request_duration_seconds \(agent-platform:alerting\.histograms\.requestDurationBuckets = \[0\.1,0\.25,0\.5,1,2,2\.5,5,10,20,30,60\] from the prod profile\); the SLO counts requests with le = the threshold$/,
    accepted: { alerting: { slo: { latency: { thresholdSeconds: 0.5 } } } },
  },
  {
    what: "request-duration bucket bounds must rise",
    stack: "prod",
    refused: { alerting: { histograms: { requestDurationBuckets: [0.1, 0.5, 0.5, 1, 2, 60] } } },
    says: /^agent-platform:alerting\.histograms\.requestDurationBuckets = \[0\.1,0\.5,0\.5,1,2,60\]: bucket bounds must rise$/,
    accepted: { alerting: { histograms: { requestDurationBuckets: [0.1, 0.5, 0.51, 1, 2, 60] } } },
  },
  {
    what: "task-duration bucket bounds must rise",
    stack: "prod",
    refused: { alerting: { histograms: { taskDurationBuckets: [60, 900, 600, 3600] } } },
    says: /^agent-platform:alerting\.histograms\.taskDurationBuckets = \[60,900,600,3600\]: bucket bounds must rise$/,
    accepted: { alerting: { histograms: { taskDurationBuckets: [60, 600, 900, 3600] } } },
  },
  {
    what: "a task-duration threshold at the highest task bucket could never fire",
    stack: "prod",
    refused: { alerting: { rules: { taskDuration: { critical: { threshold: 3600 } } } } },
    says: /^agent-platform:alerting\.rules\.taskDuration\.critical\.threshold = 3600: must be below the highest finite bucket 3600 of agent-platform:alerting\.histograms\.taskDurationBuckets = \[60,120,300,600,900,1800,3600\] from the prod profile; histogram_quantile never reports more, so the alert could never fire$/,
    accepted: { alerting: { rules: { taskDuration: { critical: { threshold: 3599 } } } } },
  },
  {
    what: "a p50 critical at the highest request bucket could never fire",
    stack: "prod",
    refused: { alerting: { rules: { responseTimeP50: { critical: { threshold: 60 } } } } },
    says: /^agent-platform:alerting\.rules\.responseTimeP50\.critical\.threshold = 60: must be below the highest finite bucket 60 of agent-platform:alerting\.histograms\.requestDurationBuckets = \[0\.1,0\.25,0\.5,1,2,2\.5,5,10,20,30,60\] from the prod profile/,
    accepted: { alerting: { rules: { responseTimeP50: { critical: { threshold: 59.9 } } } } },
  },
];

describe("R-ENV-11: settings that must agree, each at its edge", () => {
  for (const e of EDGES) {
    it(`R-ENV-11: ${e.what}`, () => {
      const refused = problemsOf(e.stack, e.refused);
      assert.equal(refused.length, 1, `one problem: ${refused.join(" | ")}`);
      assert.match(refused[0], e.says);
      assert.deepEqual(problemsOf(e.acceptedStack ?? e.stack, e.accepted), [], "the value at the edge is accepted");
    });
  }

  it("R-ENV-11: a warning is less severe than its critical: below it where the signal alerts above its threshold, above it where it alerts below", () => {
    assert.equal(lessSevere(">", 0.02, 0.05), true);
    assert.equal(lessSevere(">", 0.05, 0.05), false);
    assert.equal(lessSevere(">", 0.06, 0.05), false);
    assert.equal(lessSevere("<", 0.9, 0.8), true);
    assert.equal(lessSevere("<", 0.8, 0.8), false);
    assert.equal(lessSevere("<", 0.7, 0.8), false);
    assert.equal(warningSide(">"), "below");
    assert.equal(warningSide("<"), "above");
  });

  it("R-ENV-11, R-DATA-4: prod without AWS must allow external images explicitly, since no registry is declared to check against", () => {
    const noAws = { aws: { enabled: false }, memoryStore: { mode: "inCluster" }, backups: { enabled: false } };
    // show() in messages.ts cuts a value over 80 characters to 77 and "...".
    const refused = problemsOf("prod", noAws).filter((p) => p.startsWith("agent-platform:registry"));
    assert.equal(refused.length, 1, refused.join(" | "));
    assert.match(
      refused[0],
      /^agent-platform:registry\.allowExternalImages = false from the prod profile: without AWS there is no declared registry to check agent-platform:image = "123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/agent-platform:1\.4\.2@sha256:8f4\.\.\. against \(R-DATA-4\); allow external images explicitly$/,
    );
    const allowed = problemsOf("prod", { ...noAws, registry: { allowExternalImages: true } });
    assert.ok(!allowed.some((p) => p.startsWith("agent-platform:registry")), allowed.join(" | "));
  });
});

// The rules added with the rooms (#30) and logs and traces (#34), stated whole in this
// process: test/config/config.test.ts runs some of them through the render command, whose
// process mutation testing cannot see.
describe("R-ENV-11: settings that cannot take effect, and what a feature needs, in their whole words", () => {
  it("R-ENV-11, R-ENV-2: autoscaler bounds while autoscaling is off: one key 'has' and is removed as 'it', two 'have' and are 'them'", () => {
    const tail = "no effect while agent-platform:autoscaling.enabled = false from the staging profile: the count is replicas (2); set autoscaling.enabled: true to autoscale, or remove";
    assert.deepEqual(problemsOf("staging", { autoscaling: { maxReplicas: 6 } }), [`agent-platform:autoscaling.maxReplicas = 6: has ${tail} it`]);
    assert.deepEqual(problemsOf("staging", { autoscaling: { maxReplicas: 6, minReplicas: 2 } }), [
      `agent-platform:autoscaling.maxReplicas = 6, agent-platform:autoscaling.minReplicas = 2: have ${tail} them`,
    ]);
    assert.deepEqual(problemsOf("staging", { autoscaling: { enabled: false } }), [], "enabled: false alone states nothing ineffective");
  });

  it("R-ENV-14: an HTTP Gateway listener with a TLS Secret is refused; HTTPS with it is accepted", () => {
    const gw = (protocol: string) => ({ cluster: { gateway: { install: true, className: "eg", protocol, tlsSecretName: "tls" } } });
    assert.deepEqual(problemsOf("prod", gw("HTTP")), ['agent-platform:cluster.gateway.tlsSecretName = "tls": an HTTP listener terminates no TLS; use protocol "HTTPS" or drop the Secret']);
    assert.deepEqual(problemsOf("prod", gw("HTTPS")), []);
  });

  it("R-OBS-6: the outside-in check needs AWS (dev has none); with AWS it is accepted", () => {
    const uptime = { observability: { uptime: { enabled: true, url: "https://agents.example.com/health" } } };
    assert.deepEqual(problemsOf("dev", uptime), ["agent-platform:observability.uptime.enabled = true needs aws.enabled = true: the check runs in Route 53 and alarms in CloudWatch (R-OBS-6)"]);
    assert.deepEqual(problemsOf("dev", { ...uptime, aws: AWS_DEV }), []);
  });

  it("R-PD-10, R-DATA-4: prod's verdict image by tag is refused with the commands that read its digest and set it", () => {
    const raw = stackRaw("prod");
    const d = JSON.parse(raw["agent-platform:delivery"].value);
    d.verdict = { image: "quay.io/argoproj/kubectl-argo-rollouts:v1.8.3" };
    raw["agent-platform:delivery"] = { value: JSON.stringify(d), secret: false };
    const err = (() => {
      try {
        parseStackConfig(raw, "prod");
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error("accepted");
    })();
    const image = "quay.io/argoproj/kubectl-argo-rollouts:v1.8.3";
    assert.deepEqual(err.problems, [
      `agent-platform:delivery.verdict.image must be pinned by digest in prod (R-DATA-4) and is ${image}: read the digest ` +
        `(\`crane digest ${image}\`, or \`docker buildx imagetools inspect ${image}\`) and run ` +
        `\`pulumi config set --path delivery.verdict.image ${image}@sha256:<64 hex digits>\``,
    ]);
  });
});
