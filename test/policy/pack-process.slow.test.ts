// R-CI-5: the pack as `pulumi preview --policy-pack policy --policy-pack-config
// policy/config/<stack>.json` runs it: its own process and the analyzer gRPC protocol
// (test/policy/analyzer.ts), over the corpus of test/policy/corpus.ts. A fault counts as
// caught only when a mandatory diagnostic of the expected policy appears that the
// unchanged graph does not have; the direct calls must find the same.
import { strict as assert } from "assert";
import { renderBootstrap } from "../../render";
import { ROOT } from "../../components/config/stackFile";
import { stack } from "../helpers/mocks";
import { Analyzer, type Diagnostic } from "./analyzer";
import { FAULTS, type Graph, VALID, add, byType, clone, edit, hardenedPodOf, k8s } from "./corpus";
import { runPack } from "./harness";

describe("R-CI-5: the policy pack through its analyzer protocol, as `pulumi preview --policy-pack` runs it", function () {
  this.timeout(300_000);
  let analyzer: Analyzer;
  let prod: Graph;
  let baseline: Set<string>;
  let directBaseline: Set<string>;
  let hardenedPod: any;
  const key = (d: Pick<Diagnostic, "policy" | "level" | "message">) => `${d.policy}|${d.level}|${d.message}`;
  /** The same change through the direct calls (test/policy/harness.ts): the same new findings, or the two paths disagree. */
  const direct = (g: Graph) => runPack("prod", g).map(key).filter((k) => !directBaseline.has(k)).sort();
  const pod = () => clone(hardenedPod);

  before(async () => {
    analyzer = await Analyzer.start();
    prod = (await stack("prod")).resources;
    hardenedPod = hardenedPodOf(prod);
    await analyzer.configure("prod");
    baseline = new Set((await analyzer.run("prod", prod)).map(key));
    directBaseline = new Set(runPack("prod", prod).map(key));
  });
  after(() => analyzer?.stop());

  it("R-CI-5: GetAnalyzerInfo names the pack and every policy with its level; Configure takes policy/config/<stack>.json", async () => {
    const info = await analyzer.info();
    assert.equal(info.name, "agent-platform");
    assert.equal(info.policies.length, 30);
    assert.ok(info.policies.every((p) => p.level === "mandatory"), "mandatory unless the stack's config says otherwise");
    for (const name of ["pod-hardening", "iam-least-privilege", "no-world-open-data-or-ssh-ports", "prod-image-registry", "pdb-allows-disruption", "sns-topics-encrypted-cmk"]) assert.ok(info.policies.some((p) => p.name === name), name);
  });

  it("R-CI-5: no diagnostic at all on the dev, staging and prod stacks and the bootstrap project", async () => {
    assert.deepEqual([...baseline], [], "prod");
    for (const s of ["dev", "staging"] as const) {
      await analyzer.configure(s);
      assert.deepEqual(await analyzer.run(s, (await stack(s)).resources), [], s);
    }
    await analyzer.configure("prod");
    assert.deepEqual(await analyzer.run("bootstrap", (await renderBootstrap("prod", ROOT)).resources), [], "bootstrap");
  });

  it("R-CI-5: dev hears of the same fault as advisory, and prod-only rules stay silent outside prod", async () => {
    const dev = (await stack("dev")).resources;
    await analyzer.configure("dev");
    const c = add(dev, k8s("core/v1:Service", "lb", { spec: { type: "LoadBalancer", ports: [{ port: 80 }] } }, "agent-platform-dev"));
    const found = await analyzer.run("dev", c.graph, c.changed);
    assert.deepEqual(found.map((d) => [d.policy, d.level]), [["no-external-services", "advisory"]]);
    const image = edit(dev, byType("kubernetes:apps/v1:Deployment", "agent-platform"), (p) => (p.spec.template.spec.containers[0].image = "ghcr.io/acme/agent-platform:1.4.2"));
    assert.deepEqual(await analyzer.run("dev", image.graph, image.changed), [], "prod-image-registry is disabled in dev");
    await analyzer.configure("prod");
  });

  const themes = [...new Set(FAULTS.map((f) => f.theme))];
  it(`R-CI-5: the corpus: ${FAULTS.length} faults over ${themes.length} themes (several shapes each), ${VALID.length} valid graphs`, () => {
    assert.ok(VALID.length >= 15);
    for (const t of themes) assert.ok(FAULTS.filter((f) => f.theme === t).length >= 2, `${t}: several shapes`);
  });

  for (const f of FAULTS) {
    it(`R-CI-5: ${f.theme}: ${f.what} → ${f.policy}, mandatory`, async () => {
      const c = f.change(prod, pod);
      const found = (await analyzer.run("prod", c.graph, c.changed)).filter((d) => !baseline.has(key(d)));
      const caught = found.filter((d) => d.policy === f.policy && d.level === "mandatory");
      assert.ok(caught.length > 0, `not caught; new diagnostics: ${JSON.stringify(found, null, 1)}`);
      // Each message names the requirement it enforces.
      for (const d of caught) assert.match(d.message, /\(R-[A-Z]+-\d+(, R-[A-Z]+-\d+)*\)$/, d.message);
      assert.deepEqual(direct(c.graph), found.map(key).sort(), "the direct calls find what the analyzer finds");
    });
  }

  for (const v of VALID) {
    it(`R-CI-5: valid: ${v.what} → no diagnostic`, async () => {
      const c = v.change(prod, pod);
      const found = (await analyzer.run("prod", c.graph, c.changed)).filter((d) => !baseline.has(key(d)));
      assert.deepEqual(found, []);
      assert.deepEqual(direct(c.graph), [], "nor do the direct calls");
    });
  }
});
