// The mutation score across the chunked StrykerJS runs of `npm run mutate`
// (scripts/mutate.ts). Each chunk keeps its own report (its incremental file, in
// mutation-testing-report-schema); this merges them and counts with the metrics library
// Stryker itself uses (mutation-testing-metrics), so the numbers are Stryker's:
// score = (killed + timeout) / (killed + timeout + survived + no coverage); compile
// errors, runtime errors and ignored (static) mutants are not counted.

/**
 * The chunks of `npm run mutate`, each one Stryker run with its own incremental file.
 * Together they name every file of the `mutate` list of stryker.config.json that has a
 * mutant (an index.ts that only re-exports has none), each exactly once and file by file, so
 * that a new module fails test/tooling/mutation-score.test.ts until it joins a chunk
 * instead of going unmeasured.
 */
export const CHUNKS: Record<string, string[]> = {
  // Configuration in six chunks: the whole of it is about 3,800 mutants before the
  // type-check and static filter, several hours on two cores in one run.
  "config-cross": [
    "components/config/rules/alerting.ts",
    "components/config/rules/cluster.ts",
    "components/config/rules/common.ts",
    "components/config/rules/data.ts",
    "components/config/rules/delivery.ts",
    "components/config/rules/index.ts",
    "components/config/rules/monitoring.ts",
    "components/config/rules/workload.ts",
  ],
  "config-schema": [
    "components/config/schema.ts",
    "components/config/environments.ts",
    "components/config/fields.ts",
    "components/config/images.ts",
    "components/config/schedule.ts",
    "components/config/cluster.ts",
    "components/config/workload.ts",
    "components/config/monitoring.ts",
    "components/config/observability.ts",
    "components/config/delivery.ts",
  ],
  "config-parse": [
    "components/config/parse.ts",
    "components/config/messages.ts",
    "components/config/merge.ts",
    "components/config/stackInputs.ts",
  ],
  "config-alerting": ["components/config/alerting.ts", "components/config/data.ts"],
  "config-profiles": [
    "components/config/profiles/alerting.ts",
    "components/config/profiles/base.ts",
    "components/config/profiles/dev.ts",
    "components/config/profiles/observability.ts",
    "components/config/profiles/index.ts",
    "components/config/profiles/prod.ts",
    "components/config/profiles/staging.ts",
    "components/config/rdsCa.ts",
    "components/config/stackFile.ts",
    "components/config/index.ts",
    "components/config/units.ts",
    "components/config/secret.ts",
  ],
  // The engine's project-config rules: only the stack-file suites reach them.
  "config-engine": ["components/config/project.ts", "components/config/bootstrap.ts"],
  "model-alertmanager": ["components/model/alertmanager.ts"],
  "model-alerts-catalogue-a": [
    "components/model/alerts/availability.ts",
    "components/model/alerts/data.ts",
    "components/model/alerts/slo.ts",
  ],
  "model-alerts-catalogue-b": [
    "components/model/alerts/agents.ts",
    "components/model/alerts/common.ts",
    "components/model/alerts/http.ts",
    "components/model/alerts/index.ts",
    "components/model/alerts/resources.ts",
  ],
  // The chart values and scraping apart from the dashboards: together they took about two
  // hours on two cores, and a stopped Stryker run keeps nothing.
  "model-monitoring": [
    "components/model/monitoring/pods.ts",
    "components/model/monitoring/scraping.ts",
    "components/model/monitoring/values.ts",
  ],
  "model-dashboards": [
    "components/model/dashboards/common.ts",
    "components/model/dashboards/executive.ts",
    "components/model/dashboards/incident.ts",
    "components/model/dashboards/index.ts",
    "components/model/dashboards/mcp.ts",
    "components/model/dashboards/operations.ts",
    "components/model/dashboards/security.ts",
  ],
  "model-delivery": [
    "components/model/delivery/analysis.ts",
    "components/model/delivery/plan.ts",
    "components/model/delivery/queries.ts",
    "components/model/delivery/rollout.ts",
    "components/model/delivery/verdict.ts",
  ],
  // Canary verdicts (R-PD-11): the evidence arithmetic, the derived checks, the simulator.
  "model-verdicts": [
    "components/model/delivery/evidence.ts",
    "components/model/delivery/verdicts.ts",
    "components/model/delivery/simulator.ts",
    "components/model/delivery/random.ts",
    "components/model/delivery/rendered.ts",
    "components/model/delivery/scraped.ts",
  ],
  // The pipeline's cloud identity (R-CI-6): its trust and policies.
  "model-pipeline": ["components/model/pipeline.ts", "components/model/pipeline-reads.ts"],
  // Cluster prerequisites (R-ENV-14): what a stack needs, installs or has checked.
  "model-cluster": ["components/model/prerequisites.ts"],
  "model-data": ["components/model/data/aws.ts", "components/model/data/database.ts", "components/model/data/jobs.ts"],
  // Logs and traces (R-OBS): chart values, redaction, namespaces and their alerts.
  "model-observability": [
    "components/model/alerts/observability.ts",
    "components/model/observability/collector.ts",
    "components/model/observability/grafana.ts",
    "components/model/observability/names.ts",
    "components/model/observability/namespaces.ts",
    "components/model/observability/redaction.ts",
    "components/model/observability/stores.ts",
    "components/model/observability/uptime.ts",
  ],
  // Write-once exports, the second region and the drill (R-DATA-6..8).
  "model-recovery": ["components/model/data/recovery.ts", "components/model/data/restore.ts"],
  // The workload model in three chunks of about an hour each on two cores, so that a
  // stopped run loses at most that.
  "model-workload": [
    "components/model/workload.ts",
    "components/model/hardening.ts",
    "components/model/names.ts",
    "components/model/labels.ts",
    "components/model/flags.ts",
    "components/model/format.ts",
  ],
  "model-isolation": ["components/model/isolation.ts"],
  "model-addons": [
    "components/model/addons/access.ts",
    "components/model/addons/cluster.ts",
    "components/model/addons/common.ts",
    "components/model/addons/delivery.ts",
    "components/model/addons/monitoring.ts",
  ],
  policy: [
    "policy/policies/alerts.ts",
    "policy/policies/availability.ts",
    "policy/policies/common.ts",
    "policy/policies/delivery.ts",
    "policy/policies/exposure.ts",
    "policy/policies/index.ts",
    "policy/policies/secrets.ts",
    "policy/policies/supply-chain.ts",
    "policy/policies/workload.ts",
  ],
  // The AWS policies (R-DATA, R-CI-5): data stores, buckets, security groups, IAM and KMS.
  "policy-aws": ["policy/policies/data.ts", "policy/policies/iam.ts"],
};

/** The files of the chunks that no report covers: until they have run, no verdict. */
export function unmeasured(files: MutationReport["files"]): string[] {
  return Object.values(CHUNKS)
    .flat()
    .filter((f) => !(f in files))
    .sort();
}

/** The part of a mutation-testing-report-schema report this reads. */
export interface MutationReport {
  files: Record<string, { language: string; source: string; mutants: Array<{ status: string }> }>;
}

export interface FileScore {
  file: string;
  valid: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Percent; NaN when the file has no valid mutant. */
  score: number;
}

/** Stryker's thresholds in stryker.config.json, stated again as the targets. */
export interface Targets {
  overall: number;
  perFile: number;
}

type Metrics = {
  totalValid: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  mutationScore: number;
};
type CalculateMetrics = (files: MutationReport["files"]) => { metrics: Metrics };

/**
 * The report without its undetected results (survived, no coverage), so that Stryker's
 * incremental run tests those mutants again. Stryker 9.6.1 reuses a survivor unless a
 * covering test was *added* (`mutantCanBeReused` in @stryker-mutator/core
 * dist/src/mutants/incremental-differ.js); a test that gained an assertion under its old
 * name does not count, so without this a survivor it now kills would stay "Survived".
 * Killed results are left to Stryker (reused while their killing test is unchanged).
 */
export function forgetUndetected<R extends MutationReport>(report: R): { report: R; forgotten: number } {
  let forgotten = 0;
  const files = Object.fromEntries(
    Object.entries(report.files).map(([name, f]) => {
      const mutants = f.mutants.filter((m) => m.status !== "Survived" && m.status !== "NoCoverage");
      forgotten += f.mutants.length - mutants.length;
      return [name, { ...f, mutants }];
    }),
  );
  return { report: { ...report, files }, forgotten };
}

/** Merges chunk reports; a file in two chunks keeps the report given last (the newer run). */
export function mergeReports(reports: MutationReport[]): MutationReport["files"] {
  const files: MutationReport["files"] = {};
  for (const r of reports) Object.assign(files, r.files);
  return files;
}

export function scores(files: MutationReport["files"], calculate: CalculateMetrics): { perFile: FileScore[]; overall: FileScore } {
  const row = (file: string, m: Metrics): FileScore => ({
    file,
    valid: m.totalValid,
    killed: m.killed,
    timeout: m.timeout,
    survived: m.survived,
    noCoverage: m.noCoverage,
    score: m.mutationScore,
  });
  const perFile = Object.keys(files)
    .sort()
    .map((f) => row(f, calculate({ [f]: files[f] }).metrics));
  return { perFile, overall: row("all files", calculate(files).metrics) };
}

function pct(n: number): string {
  return Number.isNaN(n) ? "n/a" : `${n.toFixed(1)} %`;
}

/**
 * A Markdown table, one row per file, then the overall row and the verdict against the
 * targets. The targets are met only when every file of the chunks has been measured:
 * `missing` lists those without a report, and while any is left the verdict says so.
 */
export function scoreTable(s: { perFile: FileScore[]; overall: FileScore }, targets: Targets, missing: string[]): string {
  const lines = [
    "| file | valid | killed | timeout | survived | no coverage | score |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of [...s.perFile, s.overall]) {
    const name = r === s.overall ? "**all files**" : `\`${r.file}\``;
    const low = r !== s.overall && r.score < targets.perFile ? ` (below ${targets.perFile} %)` : "";
    lines.push(`| ${name} | ${r.valid} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${pct(r.score)}${low} |`);
  }
  const below = s.perFile.filter((r) => r.score < targets.perFile).map((r) => r.file);
  const goal = `overall ≥ ${targets.overall} %, no file below ${targets.perFile} %`;
  const met = s.overall.score >= targets.overall && below.length === 0;
  const measured = met
    ? `the files measured meet them`
    : `overall ${pct(s.overall.score)}` + (below.length ? `; below ${targets.perFile} %: ${below.join(", ")}` : "");
  const verdict = missing.length
    ? `Not shown yet (${goal}): ${missing.length} file(s) have no report: ${missing.join(", ")}. So far ${measured}.`
    : met
      ? `Meets the targets: ${goal}.`
      : `Does not meet the targets (${goal}): ${measured}.`;
  return `${lines.join("\n")}\n\n${verdict}\n`;
}
