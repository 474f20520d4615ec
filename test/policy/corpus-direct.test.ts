// R-CI-5: the corpus of test/policy/corpus.ts through the direct calls (test/policy/harness.ts,
// in this process, where mutation testing sees the policies): every fault raises a
// mandatory violation of its policy that the unchanged prod graph lacks, and exactly the
// new findings it states (`says`), and every valid change raises nothing. pack-process.slow.test.ts runs the same corpus through the pack's analyzer.
import { strict as assert } from "assert";
import { renderBootstrap } from "../../render";
import { ROOT } from "../../components/config/stackFile";
import { stack } from "../helpers/mocks";
import { FAULTS, type Graph, VALID, clone, hardenedPodOf } from "./corpus";
import { type Violation, runPack } from "./harness";

describe("R-CI-5: the policy corpus through the direct calls", () => {
  let prod: Graph;
  let baseline: Set<string>;
  let pod: () => any;
  const key = (v: Violation) => `${v.policy}|${v.level}|${v.message}`;
  const fresh = (g: Graph) => runPack("prod", g).filter((v) => !baseline.has(key(v)));

  // The unchanged graph's findings, once per active mutant (StrykerJS's mutation switching
  // changes the policies' code between tests of one process; outside it, once).
  const baselines = new Map<string, Set<string>>();
  // Per case (the render is cached), so mutation testing credits these cases with the
  // model code the render runs (test/tooling/mutation-score.test.ts).
  beforeEach(async () => {
    prod = (await stack("prod")).resources;
    const hardened = hardenedPodOf(prod);
    pod = () => clone(hardened);
    const mutant = (globalThis as { __stryker__?: { activeMutant?: string } }).__stryker__?.activeMutant ?? "none";
    if (!baselines.has(mutant)) {
      baselines.clear();
      baselines.set(mutant, new Set(runPack("prod", prod).map(key)));
    }
    baseline = baselines.get(mutant)!;
  });

  for (const f of FAULTS) {
    it(`R-CI-5: ${f.theme}: ${f.what} → ${f.policy}`, () => {
      const found = fresh(f.change(prod, pod).graph);
      assert.ok(found.some((v) => v.policy === f.policy && v.level === "mandatory"), JSON.stringify(found, null, 1));
      // Every new finding, whole: what `pulumi preview` prints, and nothing else.
      assert.deepEqual(found.map((v) => `${v.level === "mandatory" ? "" : `${v.level} `}${v.policy}: ${v.message}`), f.says);
    });
  }

  it("R-CI-5: no finding on the dev, staging and prod stacks and the bootstrap project (a stack without workloads needs no alerts)", async () => {
    for (const s of ["dev", "staging", "prod"] as const) assert.deepEqual(runPack(s, (await stack(s)).resources), [], s);
    assert.deepEqual(runPack("prod", (await renderBootstrap("prod", ROOT)).resources), [], "bootstrap");
  });

  for (const v of VALID) {
    it(`R-CI-5: valid: ${v.what}`, () => assert.deepEqual(fresh(v.change(prod, pod).graph), []));
  }
});
