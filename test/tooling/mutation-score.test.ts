// R-CI-1: `npm run mutate` prints the score per file against the targets of issue #12
// (≥ 85 % overall, no file below 70 %), counted as Stryker counts.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CHUNKS, MutationReport, forgetUndetected, mergeReports, scoreTable, scores, unmeasured } from "../../tools/mutation/score";

type Calculate = Parameters<typeof scores>[1];
let calculateMetrics: Calculate;
before(async () => {
  ({ calculateMetrics } = (await import("mutation-testing-metrics")) as unknown as { calculateMetrics: Calculate });
});

function file(statuses: Record<string, number>): MutationReport["files"][string] {
  const mutants = Object.entries(statuses).flatMap(([status, n]) =>
    Array.from({ length: n }, (_, i) => ({ id: `${status}-${i}`, mutatorName: "StringLiteral", location: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } }, status })),
  );
  return { language: "typescript", source: "x", mutants } as MutationReport["files"][string];
}

const TARGETS = { overall: 85, perFile: 70 };

describe("mutation score across chunks (R-CI-1)", () => {
  it("R-CI-1: counts killed and timed-out as detected, survived and uncovered as not, compile errors and ignored not at all", () => {
    const s = scores({ "a.ts": file({ Killed: 3, Timeout: 1, Survived: 1, NoCoverage: 1, CompileError: 2, Ignored: 1 }) }, calculateMetrics);
    assert.deepEqual(
      { valid: s.perFile[0].valid, killed: s.perFile[0].killed, timeout: s.perFile[0].timeout, survived: s.perFile[0].survived, noCoverage: s.perFile[0].noCoverage },
      { valid: 6, killed: 3, timeout: 1, survived: 1, noCoverage: 1 },
    );
    assert.equal(s.perFile[0].score.toFixed(2), "66.67");
  });

  it("R-CI-1: before a chunk runs again, its survivors and uncovered mutants are forgotten so Stryker tests them again; every other result stays", () => {
    const before = { schemaVersion: "2", files: { "a.ts": file({ Killed: 2, Timeout: 1, Survived: 2, NoCoverage: 1, CompileError: 1, Ignored: 1 }), "b.ts": file({ Killed: 1 }) } };
    const { report, forgotten } = forgetUndetected(before);
    assert.equal(forgotten, 3);
    assert.deepEqual(
      report.files["a.ts"].mutants.map((m) => m.status),
      ["Killed", "Killed", "Timeout", "CompileError", "Ignored"],
    );
    assert.deepEqual(report.files["b.ts"], before.files["b.ts"]);
    assert.equal(report.schemaVersion, "2", "the rest of the report is kept");
    assert.equal(before.files["a.ts"].mutants.length, 8, "the report read is not changed");
  });

  it("R-CI-1: a later chunk's report of a file replaces an earlier one; the overall score is over all files' mutants", () => {
    const files = mergeReports([
      { files: { "a.ts": file({ Survived: 5 }), "b.ts": file({ Killed: 9, Survived: 1 }) } },
      { files: { "a.ts": file({ Killed: 7, Survived: 3 }) } },
    ]);
    const s = scores(files, calculateMetrics);
    assert.deepEqual(s.perFile.map((r) => [r.file, r.score]), [["a.ts", 70], ["b.ts", 90]]);
    assert.equal(s.overall.score, 80); // 16 of 20
  });

  it("R-CI-1: a file at 70 % passes, one just below is named; overall 85 % meets the target, just below does not", () => {
    const at = scoreTable(scores({ "a.ts": file({ Killed: 7, Survived: 3 }), "b.ts": file({ Killed: 10 }) }, calculateMetrics), TARGETS, []);
    assert.match(at, /^\| `a\.ts` \| 10 \| 7 \| 0 \| 3 \| 0 \| 70\.0 % \|$/m);
    assert.match(at, /^\| \*\*all files\*\* \| 20 \| 17 \| 0 \| 3 \| 0 \| 85\.0 % \|$/m);
    assert.match(at, /^Meets the targets: overall ≥ 85 %, no file below 70 %\.$/m);

    const below = scoreTable(scores({ "a.ts": file({ Killed: 69, Survived: 31 }), "b.ts": file({ Killed: 100 }) }, calculateMetrics), TARGETS, []);
    assert.match(below, /^\| `a\.ts` \| 100 \| 69 \| 0 \| 31 \| 0 \| 69\.0 % \(below 70 %\) \|$/m);
    assert.match(below, /below 70 %: a\.ts\.$/m);

    const overallBelow = scoreTable(scores({ "a.ts": file({ Killed: 169, Survived: 31 }) }, calculateMetrics), TARGETS, []);
    assert.match(overallBelow, /^Does not meet the targets \(overall ≥ 85 %, no file below 70 %\): overall 84\.5 %\.$/m);
  });

  it("R-CI-1: while a file of the chunks has no report the targets are not claimed, even by files at 100 %", () => {
    const all = Object.values(CHUNKS).flat();
    const measured = Object.fromEntries(all.filter((f) => f !== "components/config/rules/data.ts").map((f) => [f, file({ Killed: 10 })]));
    assert.deepEqual(unmeasured(measured), ["components/config/rules/data.ts"]);
    const table = scoreTable(scores(measured, calculateMetrics), TARGETS, unmeasured(measured));
    assert.match(table, /^Not shown yet \(overall ≥ 85 %, no file below 70 %\): 1 file\(s\) have no report: components\/config\/rules\/data\.ts\. So far the files measured meet them\.$/m);
    assert.doesNotMatch(table, /Meets the targets/);

    const complete = { ...measured, "components/config/rules/data.ts": file({ Killed: 10 }) };
    assert.deepEqual(unmeasured(complete), []);
    assert.match(scoreTable(scores(complete, calculateMetrics), TARGETS, unmeasured(complete)), /^Meets the targets: overall ≥ 85 %, no file below 70 %\.$/m);
  });

  it("R-CI-1: the chunks name every file Stryker mutates that has a mutant (config, model, policy) exactly once, and nothing else", async () => {
    const root = path.join(__dirname, "..", "..");
    const walk = (dir: string): string[] =>
      fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith(".ts") ? [`${dir}/${e.name}`] : [],
      );
    // The scope is stryker.config.json's `mutate` list; Stryker's own instrumenter says
    // which of its files have mutants (a file without any never appears in a report).
    const config = JSON.parse(fs.readFileSync(path.join(root, "stryker.config.json"), "utf8")) as { mutate: string[] };
    assert.deepEqual(config.mutate, ["components/config/**/*.ts", "components/model/**/*.ts", "policy/policies/**/*.ts"]);
    const scope = [...walk("components/config"), ...walk("components/model"), ...walk("policy/policies")].sort();
    const { Instrumenter } = (await import("@stryker-mutator/instrumenter")) as unknown as {
      Instrumenter: new (log: unknown) => {
        instrument(files: { name: string; content: string; mutate: boolean }[], o: unknown): Promise<{ mutants: { fileName: string }[] }>;
      };
    };
    const quiet = () => undefined;
    const log = { isDebugEnabled: () => false, isTraceEnabled: () => false, debug: quiet, trace: quiet, info: quiet, warn: quiet, error: quiet, fatal: quiet };
    const { mutants } = await new Instrumenter(log).instrument(
      scope.map((f) => ({ name: f, content: fs.readFileSync(path.join(root, f), "utf8"), mutate: true })),
      { plugins: null, excludedMutations: [], ignorers: [] },
    );
    const withMutants = [...new Set(mutants.map((m) => path.relative(root, path.resolve(root, m.fileName))))].sort();
    assert.ok(withMutants.length > 30 && !withMutants.includes("components/model/delivery/index.ts"), withMutants.join(", "));
    const named = Object.values(CHUNKS).flat();
    assert.deepEqual([...named].sort(), withMutants);
    assert.equal(new Set(named).size, named.length, "a file in two chunks");
  });
});

describe("the suites mutation testing runs credit what they render (R-CI-1)", () => {
  // Stryker's mocha runner names the current test in a root beforeEach
  // (@stryker-mutator/mocha-runner, dist/src/mocha-test-runner.js): code a suite runs in
  // before() or after() is covered by no test, so per-test coverage never runs the suite
  // against the mutants of what it rendered there. Renders belong in a case or beforeEach.
  const RENDERS = ["stack", "stackRaw", "renderRaw", "renderStack", "committedStack"];
  const root = path.join(__dirname, "..", "..");

  /** Where a file renders inside a before() or after() hook: "line: call". */
  async function rendersInOnceHooks(source: string): Promise<string[]> {
    const ts = await import("typescript");
    const sf = ts.createSourceFile("x.ts", source, ts.ScriptTarget.ES2022, true);
    const found: string[] = [];
    const visit = (n: import("typescript").Node, inHook: boolean): void => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
        const name = n.expression.text;
        if (name === "before" || name === "after") return n.arguments.forEach((a) => visit(a, true));
        if (inHook && RENDERS.includes(name)) found.push(`${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${name}()`);
      }
      ts.forEachChild(n, (c) => visit(c, inHook));
    };
    visit(sf, false);
    return found;
  }

  it("R-CI-1: no suite Stryker runs renders a stack in before() or after()", async () => {
    const mocharc = require(path.join(root, ".mocharc.mutate.js")) as { spec: string[]; ignore: string[] };
    const dirs = mocharc.spec.map((s) => s.replace(/\/\*\*\/\*\.test\.ts$/, ""));
    assert.deepEqual(dirs, ["test/config", "test/model", "test/stacks", "test/policy", "test/promtool", "test/tooling"]);
    const walk = (dir: string): string[] =>
      fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith(".test.ts") ? [`${dir}/${e.name}`] : []));
    const suites = dirs.flatMap(walk).filter((f) => !mocharc.ignore.includes(f));
    assert.ok(suites.includes("test/promtool/alerts.test.ts") && suites.length > 30, suites.join(", "));
    const offenders: string[] = [];
    for (const f of suites) for (const at of await rendersInOnceHooks(fs.readFileSync(path.join(root, f), "utf8"))) offenders.push(`${f}:${at}`);
    assert.deepEqual(offenders, []);
  });

  it("R-CI-1: MUTATE_SPEC's entries run in the order given, a directory's files sorted, each file once", () => {
    const file = path.join(root, ".mocharc.mutate.js");
    const saved = process.env.MUTATE_SPEC;
    process.env.MUTATE_SPEC = "test/stacks/monitoring.test.ts,test/stacks/**/*.test.ts,test/data/e2e-missing.ts";
    try {
      delete require.cache[require.resolve(file)];
      const spec = (require(file) as { spec: string[] }).spec;
      assert.equal(spec[0], "test/stacks/monitoring.test.ts");
      assert.equal(spec.filter((f) => f === "test/stacks/monitoring.test.ts").length, 1, "listed once");
      assert.deepEqual(spec.slice(1, 3), ["test/stacks/bootstrap.test.ts", "test/stacks/data.test.ts"], "then the directory, sorted");
      assert.equal(spec[spec.length - 1], "test/data/e2e-missing.ts", "a plain entry stays as it is, for mocha to report");
      assert.ok(spec.every((f) => f.endsWith(".ts")) && spec.includes("test/stacks/workload.test.ts"), spec.join(", "));
    } finally {
      if (saved === undefined) delete process.env.MUTATE_SPEC;
      else process.env.MUTATE_SPEC = saved;
      delete require.cache[require.resolve(file)];
    }
  });

  it("R-CI-1: the check finds a render in before() and after() at any depth, and not in beforeEach or a case", async () => {
    const source = [
      'describe("a", () => {',
      "  before(async () => { groups = parse((await stack(\"prod\")).files.x); });",
      "  beforeEach(async () => { g = await stack(\"prod\"); });",
      "  it(\"x\", async () => { await renderRaw(\"dev\", stackRaw(\"dev\")); });",
      '  describe("b", () => { after(() => { if (x) { void stackRaw("dev"); } }); });',
      "});",
    ].join("\n");
    assert.deepEqual(await rendersInOnceHooks(source), ["2: stack()", "5: stackRaw()"]);
  });
});
