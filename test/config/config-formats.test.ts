// R-ENV-11: the formats of single settings at their edges. For each, values just inside
// the allowed form are accepted and near misses (one character short or long, a prefix or
// suffix, the wrong case, one past a bound) are refused with one problem that names the
// key, the value and the form. The allowed forms are the consumers' (AWS IDs, ARNs and
// windows as the AWS APIs take them, Kubernetes names, Prometheus retentions).
import { strict as assert } from "assert";
import { SIGNALS, rulesSchema } from "../../components/config/alerting";
import { presetAlerting } from "../../components/config/profiles";
import { at, problemsOf } from "../helpers/config";

interface Format {
  /** Dotted path under agent-platform:. */
  key: string;
  /** Stack whose other settings make the values below the only question. */
  stack: string;
  accepted: unknown[];
  refused: unknown[];
  says: RegExp;
  /** What the values try, where they are too long for a title. */
  title?: string;
}

const FORMATS: Format[] = [
  // ---- AWS (aws.*: dev has AWS off, so no other rule reads these) ----
  { key: "aws.region", stack: "dev", accepted: ["ap-southeast-2", "us-gov-west-1", "us-isob-east-1"], refused: ["eu-west-1a", "EU-west-1", "eu-west", "xeu-west-1", "eu-west-12"], says: /must be an AWS region such as eu-west-1/ },
  { key: "aws.accountId", stack: "dev", accepted: ["123456789012", "000000000000"], refused: ["12345678901", "1234567890123", "12345678901a"], says: /must be the 12-digit AWS account ID, quoted/ },
  { key: "aws.vpcId", stack: "dev", accepted: ["vpc-01234567", "vpc-0123456789abcdef0"], refused: ["vpc-0123456", "vpc-0123456789abcdef01", "vpc-0123456A", "xvpc-01234567", "sg-01234567"], says: /must be an AWS ID such as vpc-0a1b2c3d4e5f67890/ },
  { key: "aws.clusterSecurityGroupId", stack: "dev", accepted: ["sg-0123456789abcdef0"], refused: ["sg-0123456789abcdef0x", "vpc-0123456789abcdef0"], says: /must be an AWS ID such as sg-0a1b2c3d4e5f67890/ },
  {
    key: "aws.oidcProviderArn",
    stack: "dev",
    title: "the aws and aws-us-gov partitions and a path of ID characters accepted; an 11-digit account, another service, a role, an upper-case host, a space in the path, a prefix refused",
    accepted: ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", "arn:aws-us-gov:iam::123456789012:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/AB_c.9-x"],
    refused: [
      "arn:aws:iam::12345678901:oidc-provider/oidc.example.com",
      "arn:aws:sts::123456789012:oidc-provider/oidc.example.com",
      "arn:aws:iam::123456789012:role/oidc.example.com",
      "arn:aws:iam::123456789012:oidc-provider/OIDC.example.com",
      "arn:aws:iam::123456789012:oidc-provider/oidc.example.com/id/a b",
      "xarn:aws:iam::123456789012:oidc-provider/oidc.example.com",
    ],
    says: /must be an IAM OIDC provider ARN such as arn:aws:iam::123456789012:oidc-provider\//,
  },
  // ---- the database (memoryStore.rds.*: dev keeps it in the cluster, so only the form is checked) ----
  { key: "memoryStore.port", stack: "dev", accepted: [1150, 65535], refused: [1149, 65536], says: /must be [≥≤] / },
  { key: "memoryStore.rds.engineVersion", stack: "dev", accepted: ["13", "19"], refused: ["12", "20", "16.4", "v16"], says: /must be a PostgreSQL major version such as "16"/ },
  { key: "memoryStore.rds.instanceClass", stack: "dev", accepted: ["db.r6g.large", "db.x2iedn.24xlarge"], refused: ["r6g.large", "db.r6g", "db.R6g.large", "db.r6g.large.x"], says: /must be an RDS instance class such as db\.r6g\.large/ },
  { key: "memoryStore.rds.allocatedStorageGb", stack: "dev", accepted: [20], refused: [19, 65537], says: /must be [≥≤] / },
  { key: "memoryStore.rds.backupRetentionDays", stack: "dev", accepted: [1, 35], refused: [0, 36], says: /must be [≥≤] / },
  { key: "memoryStore.rds.backupWindow", stack: "dev", accepted: ["00:00-00:30", "23:00-23:59", "19:29-20:00"], refused: ["24:00-00:30", "01:60-02:30", "1:00-02:00", "01:00-02:00x", "x01:00-02:00"], says: /must be a UTC window hh:mm-hh:mm such as 02:00-03:00/ },
  {
    key: "memoryStore.rds.maintenanceWindow",
    stack: "dev",
    accepted: ["mon:00:00-mon:00:30", "sat:23:00-sat:23:59", "tue:19:00-wed:01:00", "thu:05:00-fri:05:00"],
    refused: ["sun:24:00-mon:00:30", "xyz:03:30-sun:04:30", "sun:3:30-sun:04:30", "sun:03:30-sun:04:30x", "sun:03:30-sun:04:60"],
    says: /must be a UTC window ddd:hh:mm-ddd:hh:mm such as sun:03:30-sun:04:30/,
  },
  { key: "memoryStore.rds.performanceInsightsRetentionDays", stack: "dev", accepted: [7, 31, 62, 713, 731], refused: [0, -31, 6, 8, 30, 32, 714, 744, 730], says: /must be 7, a multiple of 31 up to 713, or 731/ },
  { key: "memoryStore.rds.monitoringIntervalSeconds", stack: "dev", accepted: [0, 1, 5, 10, 15, 30, 60], refused: [2, 120], says: /agent-platform:memoryStore\.rds\.monitoringIntervalSeconds = / },
  // ---- backups and the registry ----
  { key: "backups.retention.exportsDays", stack: "dev", accepted: [1, 3650], refused: [0, 3651], says: /must be [≥≤] / },
  { key: "backups.export.backoffLimit", stack: "dev", accepted: [0, 10], refused: [-1, 11], says: /must be [≥≤] / },
  { key: "backups.ciWriter.repository", stack: "prod", accepted: ["acme/agent-platform-infra", "A_b.c/d-E.9"], refused: ["acme", "acme/infra/x", "acme/in fra", "/infra"], says: /must be a GitHub repository owner\/name/ },
  { key: "registry.repository", stack: "dev", accepted: ["agent-platform", "team/agent.platform_x", "a"], refused: ["Agent-platform", "agent--platform", "-agent", "agent/", "agent-"], says: /must be an ECR repository name such as agent-platform/ },
  // ---- Kubernetes names, paths, addresses ----
  { key: "namespace", stack: "dev", accepted: ["a", "a".repeat(63), "platform-9"], refused: ["-a", "a-", "A", "a".repeat(64), "a_b"], says: /must be a DNS label|at most 63/ },
  { key: "monitoring.chartVersion", stack: "dev", accepted: ["79.5.0", "0.0.10"], refused: ["79.5", "v79.5.0", "79.5.0-rc1", "79.x.0"], says: /must be an exact chart version such as 1\.2\.3/ },
  { key: "probes.healthPath", stack: "dev", accepted: ["/health", "/"], refused: ["health", " /health"], says: /must be a path starting with '\/'/ },
  { key: "app.apiPrefix", stack: "dev", accepted: ["/", "/api/v1", "/a_b-c"], refused: ["api", "/api?x", "/api v1"], says: /must be a path starting with '\/'/ },
  { key: "network.nodeLocalDns", stack: "dev", accepted: ["169.254.20.10", "1.2.3.4"], refused: ["169.254.20", "169.254.20.10.1", "a.b.c.d", "1.2.3.4/32", "1234.2.3.4"], says: /must be an IPv4 address such as 169\.254\.20\.10/ },
  // ---- Prometheus and Alertmanager ----
  { key: "monitoring.prometheus.retention", stack: "dev", accepted: ["12h", "30d", "4w", "1y"], refused: ["12", "12m", "1.5d", "d", "7dd"], says: /must be a Prometheus retention such as 12h, 7d, 4w or 1y/ },
  { key: "alerting.receivers.slackChannel", stack: "dev", accepted: ["#a", "#alerts-p2_x"], refused: ["alerts", "#", "#alerts p2", "x#alerts"], says: /must be a Slack channel such as #alerts/ },
  { key: "alerting.receivers.smarthost", stack: "dev", accepted: ["smtp.example.com:587", "relay_1:25"], refused: ["smtp.example.com", "smtp.example.com:", ":587", "smtp.example.com:587x", "smtp example.com:587"], says: /must be host:port such as smtp\.example\.com:587/ },
  // ---- the Gateway API plugin the controller downloads (prod installs it) ----
  { key: "delivery.gatewayPlugin.sha256", stack: "prod", accepted: ["0".repeat(64), "a".repeat(64)], refused: ["0".repeat(63), "0".repeat(65), "A".repeat(64), "g".repeat(64)], says: /must be the 64 lower-case hex digits of the binary's SHA-256/ },
  { key: "delivery.gatewayPlugin.version", stack: "prod", accepted: [], refused: ["0.15.0", "v0.15", "v0.15.0-rc1", "xv0.15.0"], says: /must be a release tag such as v0\.15\.0/ },
];

/** A value for a test title: long strings by their start and length. */
const shown = (v: unknown) => (typeof v === "string" && v.length > 24 ? `"${v.slice(0, 8)}…" (${v.length} characters)` : JSON.stringify(v));

/** Each accepted value gives no problem; each refused one exactly one, naming the key and the value. */
function checkFormat(f: Format): void {
  for (const v of f.accepted) assert.deepEqual(problemsOf(f.stack, at(f.key, v)), [], `${f.key} = ${JSON.stringify(v)} is accepted`);
  for (const v of f.refused) {
    const problems = problemsOf(f.stack, at(f.key, v));
    assert.equal(problems.length, 1, `${f.key} = ${JSON.stringify(v)}: one problem, got ${problems.join(" | ")}`);
    assert.ok(problems[0].startsWith(`agent-platform:${f.key} = ${JSON.stringify(v)}: `), `names the key and the value: ${problems[0]}`);
    assert.match(problems[0], f.says);
  }
}

describe("R-ENV-11: single settings at the edges of their form", () => {
  for (const f of FORMATS) {
    it(`R-ENV-11: ${f.key}: ${f.title ?? `${f.accepted.map(shown).join(", ") || "(the profile's)"} accepted; ${f.refused.map(shown).join(", ")} refused`}`, () => {
      checkFormat(f);
    });
  }
});

/** Alert rules: each threshold unit at its bounds, and which fields a signal has (R-ENV-12). */
const RULES: Format[] = [
  { key: "alerting.rules.swarmFailures.warning.threshold", stack: "dev", accepted: [0.0001, 0.9999], refused: [0, 1], says: /must be [<>] [01]/ },
  { key: "alerting.rules.latencyP95.warning.threshold", stack: "dev", accepted: [0.001], refused: [0, -1], says: /must be > 0/ },
  { key: "alerting.rules.exportStale.warning.threshold", stack: "dev", accepted: [1.01], refused: [1, 0.5], says: /must be > 1/ },
  { key: "alerting.rules.agentsPerPod.warning.threshold", stack: "dev", accepted: [1], refused: [0, 1.5], says: /must be ≥ 1|must be a whole number/ },
  { key: "alerting.rules.trafficAnomaly.warning.threshold", stack: "dev", accepted: [0.1], refused: [0], says: /must be > 0/ },
  { key: "alerting.rules.probeBasic.critical.threshold", stack: "dev", accepted: [1, 20], refused: [0, 21, 2.5], says: /must be [≥≤] (1|20)|must be a whole number/ },
  { key: "alerting.rules.swarmEfficiency.warning.window", stack: "dev", accepted: ["3d"], refused: ["259201s"], says: /must be at most 72h \(a PromQL range, up to 3d\)/ },
];

/** A field a signal does not have. */
const FIELDS: Array<{ key: string; value: unknown; says: RegExp }> = [
  { key: "alerting.rules.metricsMissing.critical.threshold", value: 1, says: /^agent-platform:alerting\.rules\.metricsMissing\.critical\.threshold = 1: is not a setting of this rule \(/ },
  { key: "alerting.rules.probeBasic.critical.for", value: "5m", says: /^agent-platform:alerting\.rules\.probeBasic\.critical\.for = "5m": is not a setting of this rule \(/ },
  { key: "alerting.rules.diskUsage.warning.window", value: "5m", says: /^agent-platform:alerting\.rules\.diskUsage\.warning\.window = "5m": is not a setting of this rule \(/ },
];

describe("R-ENV-11, R-ENV-12: alert rule settings at their edges", () => {
  for (const f of RULES) {
    it(`R-ENV-11, R-ENV-12: ${f.key}: ${f.accepted.map(shown).join(", ")} accepted; ${f.refused.map(shown).join(", ")} refused`, () => {
      checkFormat(f);
    });
  }
  for (const f of FIELDS) {
    it(`R-ENV-11, R-ENV-12: ${f.key} set to ${JSON.stringify(f.value)} is refused`, () => {
      assert.deepEqual(problemsOf("dev", {}), [], "the profile's rule is accepted");
      const problems = problemsOf("dev", at(f.key, f.value));
      assert.equal(problems.length, 1, problems.join(" | "));
      assert.match(problems[0], f.says);
    });
  }

  // A stack cannot leave a field out (the profile's preset supplies it); the schema still
  // guards the presets, which are code.
  it("R-ENV-12: a preset rule without a field its signal has is refused by the rule schema", () => {
    for (const [signal, sev, field, says] of [
      ["errorRate", "warning", "window", "is required: the rate window of the signal"],
      ["errorRate", "critical", "for", "is required: how long the condition must hold"],
      ["memoryLeak", "warning", "threshold", `is required: ${SIGNALS.memoryLeak.what}`],
    ] as const) {
      const rules = presetAlerting("strict").rules as Record<string, Record<string, Record<string, unknown>>>;
      assert.ok(rulesSchema.safeParse(rules).success, "the preset as it is");
      delete rules[signal][sev][field];
      const res = rulesSchema.safeParse(rules);
      assert.equal(res.success, false, `${signal}.${sev} without ${field}`);
      assert.deepEqual(
        res.error!.issues.map((i) => [i.path.join("."), i.message]),
        [[`${signal}.${sev}.${field}`, says]],
      );
    }
  });
});
