// npm run mutate [-- <chunk> ...] [-- --score]
//
// Mutation testing with StrykerJS (stryker.config.json), one chunk of the mutated code at a
// time. Each chunk keeps its own incremental file under reports/stryker/, so a run that is
// stopped loses only the chunk in progress, and a re-run tests only the mutants whose code
// or covering tests changed, and every mutant the last run did not detect. After the runs
// it prints the merged score per file.
//
//   npm run mutate                     every chunk, in order
//   npm run mutate -- policy config    the chunks named
//   npm run mutate -- --score          no run: the score of the reports present
//   npm run mutate -- --force config-parse   every mutant of the chunk again (Stryker's --force)
//
// Any Stryker run that writes its incremental file into reports/stryker/ joins the score,
// e.g. one module with the tests that matter to it:
//   MUTATE_SPEC=test/model/delivery.test.ts npx stryker run --mutate components/model/delivery/plan.ts \
//     --incrementalFile reports/stryker/delivery-plan.json
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../components/config/stackFile";
import { CHUNKS, MutationReport, forgetUndetected, mergeReports, scoreTable, scores, unmeasured } from "../tools/mutation/score";

/**
 * Chunks whose code only some test files can reach run those alone (`MUTATE_SPEC`, read by
 * .mocharc.mutate.js): per-test coverage would pick the same tests or more, but the dry
 * run of the whole in-process suite costs 4 to 5 minutes on two cores.
 * - policy: nothing else imports the module.
 * - model-data: every stack render reaches it, so every suite that renders a stack covers
 *   its mutants, the promtool suites included, which read only the rules and the
 *   Alertmanager file. The stack and policy suites are the ones that assert the data
 *   objects; the score counts only their kills, so it can be lower than the whole
 *   suite's, never higher.
 * - model-monitoring, model-dashboards, model-addons, model-workload, model-isolation: the
 *   same, for the chart values, dashboards, add-ons, pods and NetworkPolicies every render
 *   declares; the stack suites state them, the promtool and end-to-end suites read only the rules and
 *   the Alertmanager file.
 */
/** The chart values and the dashboards: test/stacks/monitoring.test.ts states both. */
const MONITORING_SUITES = "test/stacks/monitoring.test.ts,test/stacks/**/*.test.ts,test/policy/**/*.test.ts";
const SPECS: Record<string, string> = {
  policy: "test/policy/**/*.test.ts",
  "policy-aws": "test/policy/**/*.test.ts",
  "config-engine": "test/config/engine-config.test.ts,test/config/config-files.test.ts,test/stacks/bootstrap.test.ts",
  "model-cluster": "test/stacks/preflight.test.ts,test/stacks/engine.test.ts",
  "model-verdicts": "test/model/verdicts.test.ts,test/model/delivery.test.ts,test/promtool/analysis.test.ts",
  // The analyses, the Rollout and the plan: their model suites, the analyses under promtool,
  // and the stacks. Not the promtool alert suites: every render reaches this code, so they
  // covered its mutants and ran per mutant (the healthy day alone about 50 s), yet they
  // read only the rules and the Alertmanager file.
  "model-delivery": "test/model/delivery.test.ts,test/model/verdicts.test.ts,test/promtool/analysis.test.ts,test/stacks/**/*.test.ts,test/policy/**/*.test.ts",
  "model-data": "test/stacks/**/*.test.ts,test/policy/**/*.test.ts",
  // The suite that states the chunk's output first (.mocharc.mutate.js: each file once, in order).
  // The Prometheus address (scraping.ts) is stated with the analyses that query it.
  "model-monitoring": `${MONITORING_SUITES},test/model/delivery.test.ts`,
  "model-dashboards": MONITORING_SUITES,
  "model-addons": "test/stacks/privileges.test.ts,test/stacks/workload.test.ts,test/stacks/**/*.test.ts,test/policy/**/*.test.ts",
  "model-workload": "test/stacks/**/*.test.ts,test/policy/**/*.test.ts",
  "model-isolation": "test/stacks/workload.test.ts,test/stacks/**/*.test.ts,test/policy/**/*.test.ts",
  "model-pipeline": "test/stacks/pipeline.test.ts,test/stacks/bootstrap.test.ts",
  "model-recovery": "test/stacks/recovery.test.ts,test/stacks/data.test.ts",
  "model-observability": "test/stacks/observability.test.ts,test/model/redaction.test.ts,test/model/log-counters.test.ts,test/promtool/observability.test.ts,test/stacks/privileges.test.ts",
};

const REPORTS = path.join(ROOT, "reports", "stryker");

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const scoreOnly = args.includes("--score");
  // Stryker's --force tests every mutant again, reusing nothing from the incremental file.
  const force = args.includes("--force");
  const named = args.filter((a) => !a.startsWith("--"));
  const unknown = named.filter((c) => !(c in CHUNKS));
  if (unknown.length) {
    console.error(`npm run mutate: unknown chunk ${unknown.join(", ")}; the chunks are ${Object.keys(CHUNKS).join(", ")}`);
    process.exit(2);
  }
  if (!scoreOnly) {
    for (const chunk of named.length ? named : Object.keys(CHUNKS)) {
      console.log(`\n== chunk ${chunk}: ${CHUNKS[chunk].join(", ")}`);
      // Survivors and uncovered mutants are always tested again (see forgetUndetected). Stryker
      // works on a copy under in-progress/, which replaces the chunk's report only when the run
      // ends well: a stopped run leaves the last complete report, undetected mutants included.
      const incremental = path.join(REPORTS, `${chunk}.json`);
      const working = path.join(REPORTS, "in-progress", `${chunk}.json`);
      fs.mkdirSync(path.dirname(working), { recursive: true });
      fs.rmSync(working, { force: true });
      if (!force && fs.existsSync(incremental)) {
        const { report, forgotten } = forgetUndetected(JSON.parse(fs.readFileSync(incremental, "utf8")) as MutationReport);
        fs.writeFileSync(working, JSON.stringify(report));
        if (forgotten) console.log(`${forgotten} undetected mutant(s) of the last run will be tested again`);
      }
      const run = spawnSync(
        "npx",
        [
          "stryker",
          "run",
          "--mutate",
          CHUNKS[chunk].join(","),
          "--incrementalFile",
          path.relative(ROOT, working),
          ...(force ? ["--force"] : []),
        ],
        { cwd: ROOT, stdio: "inherit", env: SPECS[chunk] ? { ...process.env, MUTATE_SPEC: SPECS[chunk] } : process.env },
      );
      if (run.status !== 0) {
        console.error(`npm run mutate: stryker failed on chunk ${chunk} (exit ${run.status ?? run.signal}); reports/stryker/${chunk}.json is unchanged`);
        process.exit(1);
      }
      fs.renameSync(working, incremental);
    }
  }
  // Oldest first, so that a file measured twice (a chunk and a narrower run) keeps the newer result.
  const mtime = (f: string) => fs.statSync(path.join(REPORTS, f)).mtimeMs;
  const files = fs.existsSync(REPORTS) ? fs.readdirSync(REPORTS).filter((f) => f.endsWith(".json")).sort((a, b) => mtime(a) - mtime(b)) : [];
  if (files.length === 0) {
    console.error("npm run mutate: no chunk report in reports/stryker/ yet; run `npm run mutate` first");
    process.exit(1);
  }
  const reports = files.map((f) => JSON.parse(fs.readFileSync(path.join(REPORTS, f), "utf8")) as MutationReport);
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8")) as { thresholds: { high: number; low: number } };
  // mutation-testing-metrics is ESM only; Node >= 20.19 loads it from CommonJS.
  const { calculateMetrics } = (await import("mutation-testing-metrics")) as unknown as {
    calculateMetrics: Parameters<typeof scores>[1];
  };
  const merged = mergeReports(reports);
  const missing = unmeasured(merged);
  const chunksLeft = Object.keys(CHUNKS).filter((c) => CHUNKS[c].some((f) => missing.includes(f)));
  console.log(`\nMutation score from ${files.map((f) => `reports/stryker/${f}`).join(", ")}`);
  if (chunksLeft.length) console.log(`Not run yet: ${chunksLeft.join(", ")} (the score below leaves their files out)`);
  console.log();
  console.log(scoreTable(scores(merged, calculateMetrics), { overall: config.thresholds.high, perFile: config.thresholds.low }, missing));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
