// The mutation score across the chunked StrykerJS runs of `npm run mutate`
// (scripts/mutate.ts). Each chunk keeps its own report (its incremental file, in
// mutation-testing-report-schema); this merges them and counts with the metrics library
// Stryker itself uses (mutation-testing-metrics), so the numbers are Stryker's:
// score = (killed + timeout) / (killed + timeout + survived + no coverage); compile
// errors, runtime errors and ignored (static) mutants are not counted.

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

/** A Markdown table, one row per file, then the overall row and the verdict against the targets. */
export function scoreTable(s: { perFile: FileScore[]; overall: FileScore }, targets: Targets): string {
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
  const verdict =
    s.overall.score >= targets.overall && below.length === 0
      ? `Meets the targets: overall ≥ ${targets.overall} %, no file below ${targets.perFile} %.`
      : `Does not meet the targets (overall ≥ ${targets.overall} %, no file below ${targets.perFile} %): overall ${pct(s.overall.score)}` +
        (below.length ? `; below ${targets.perFile} %: ${below.join(", ")}` : "") +
        ".";
  return `${lines.join("\n")}\n\n${verdict}\n`;
}
