// R-CI-4: a credential-free render of each stack that reviewers can diff and validators
// can read; R-WL-6: nothing secret in it; R-CI-1: every object passes its schema.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { renderRaw, renderStack } from "../../render";
import { runWithMocks, secretValues, unwrap } from "../../render/mockRuntime";
import { ROOT } from "../../components/config/stackFile";
import { STACKS, TEST_SECRETS, committedStack, stack, stackRaw } from "../helpers/mocks";

import { modelFor } from "../helpers/schemas";

describe("R-CI-4: credential-free render", () => {
  let out: string;
  before(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-render-"));
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("R-CI-4: `npm run render -- dev staging prod` exits 0 and writes manifests in apply order and a summary, the very files the in-process render makes", async () => {
    // What `npm run render` runs: the bundled command (scripts/render-cli.js).
    const res = spawnSync(process.execPath, [path.join(ROOT, "scripts/render-cli.js"), ...STACKS, "--out", out], { cwd: ROOT, encoding: "utf8" });
    assert.equal(res.status, 0, res.stderr);
    for (const s of STACKS) {
      const { files } = await renderStack(s);
      const written = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? written(path.join(dir, e.name)) : [path.relative(path.join(out, s), path.join(dir, e.name))]));
      assert.deepEqual(written(path.join(out, s)).sort(), Object.keys(files).sort(), `${s}: the same files`);
      for (const [rel, content] of Object.entries(files)) assert.equal(fs.readFileSync(path.join(out, s, rel), "utf8"), content, `${s}/${rel}`);
    }
    for (const s of STACKS) {
      const files = fs.readdirSync(path.join(out, s, "kubernetes")).filter((f) => /^\d{3}-/.test(f)).sort();
      assert.match(files[0], /^001-namespace-/, "the namespace is applied first");
      const kinds = files.map((f) => f.split("-")[1]);
      const w = kinds.findIndex((k) => k === "deployment" || k === "rollout");
      assert.ok(w >= 0, "a workload is rendered");
      assert.ok(w > kinds.indexOf("configmap"), "config before the workload");
      assert.ok(w > kinds.indexOf("secret"), "secret before the workload");
      assert.ok(fs.existsSync(path.join(out, s, "summary.txt")));
    }
    assert.match(res.stdout, /Rollout\/agent-platform\s+\(HPA\)\s+3\.\.10 \(cpu 70%, memory 80%\)\s+api\s+1000m\/1000m\s+2Gi\/2Gi/);
    assert.match(res.stdout, /Rollout\/agent-platform\s+2\s+off\s+api\s+750m\/750m\s+1\.5Gi\/1\.5Gi/);
    assert.match(res.stdout, /Deployment\/agent-platform\s+1\s+off\s+api\s+500m\/500m\s+1Gi\/1Gi/);
  });

  it("R-CI-4: the rendered YAML is exactly the objects the program declared, as declared", async () => {
    for (const s of STACKS) {
      const docs = parseAllDocuments(fs.readFileSync(path.join(out, s, "kubernetes", "all.yaml"), "utf8")).map((d) => d.toJS());
      // What the program registered with the engine (render/mockRuntime.ts records it), independent of the writer.
      const graph = (await committedStack(s)).resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh") && r.custom && !r.type.startsWith("pulumi:"));
      const key = (o: any) => `${o.kind} ${o.metadata?.namespace ?? ""}/${o.metadata?.name}`;
      const declared = graph.map((r) => unwrap(r.inputs, "mask") as any).filter((o) => o.kind).map(key).sort();
      assert.ok(declared.length > 30);
      assert.deepEqual(docs.map(key).sort(), declared, `${s}: one document per declared object, none missing, none extra`);
      const files = fs.readdirSync(path.join(out, s, "kubernetes")).filter((f) => /^\d{3}-/.test(f));
      assert.equal(files.length, declared.length, "one file per object too");
      // Spot-check the content: the workload's image is the stack's.
      const wl = docs.find((d) => d.kind === "Deployment" || d.kind === "Rollout");
      assert.equal(wl.spec.template.spec.containers[0].image, parseAllDocuments(fs.readFileSync(path.join(ROOT, `Pulumi.${s}.yaml`), "utf8"))[0].toJS().config["agent-platform:image"]);
    }
  });

  it("R-CI-4: an unknown stack is a usage error naming the known stacks", () => {
    const res = spawnSync(process.execPath, [path.join(ROOT, "scripts/render-cli.js"), "qa"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.equal(res.status, 2);
    assert.match(res.stderr, /no stack file Pulumi\.qa\.yaml; known stacks: dev, prod, staging/);
  });

  it("R-CI-4: the mock runtime takes no stack traces while the program runs and gives the process its own back after it, a failed run included; RENDER_STACK_TRACES=1 keeps them", async () => {
    const E = Error as { prepareStackTrace?: unknown; stackTraceLimit: number };
    const saved = { prepare: E.prepareStackTrace, limit: E.stackTraceLimit };
    const mine = { prepare: (e: Error) => `mapped: ${e.message}`, limit: 17 };
    const now = () => ({ prepare: E.prepareStackTrace, limit: E.stackTraceLimit });
    let inside: unknown;
    const program = () => {
      inside = now();
      return {};
    };
    try {
      E.prepareStackTrace = mine.prepare;
      E.stackTraceLimit = mine.limit;
      await runWithMocks("dev", stackRaw("dev"), program);
      assert.deepEqual(inside, { prepare: undefined, limit: 0 }, "during the run");
      assert.deepEqual(now(), mine, "after the run");
      await assert.rejects(
        runWithMocks("dev", stackRaw("dev"), () => {
          throw new Error("the program failed");
        }),
        /the program failed/,
      );
      assert.deepEqual(now(), mine, "after a failed run");
      process.env.RENDER_STACK_TRACES = "1";
      await runWithMocks("dev", stackRaw("dev"), program);
      assert.deepEqual(inside, mine, "RENDER_STACK_TRACES=1");
    } finally {
      delete process.env.RENDER_STACK_TRACES;
      E.prepareStackTrace = saved.prepare;
      E.stackTraceLimit = saved.limit;
    }
  });
});

describe("R-WL-6: no secret value is ever rendered", () => {
  for (const s of STACKS) {
    it(`R-WL-6: ${s}: every secret the graph carries is masked in every rendered file`, async () => {
      const r = await stack(s);
      const secrets = secretValues(r.resources);
      // The graph must carry the secrets we set (PagerDuty only where paging is on; the
      // receiver secrets inside the Alertmanager config Secret) plus the generated JWT
      // key and Grafana password, or this test proves nothing.
      // The database URLs are built by the program (rds, inCluster): the stack sets none.
      const expected = Object.entries(TEST_SECRETS)
        .filter(([k]) => (!["pagerdutyRoutingKey", "uptimeAlertUrl"].includes(k) || s === "prod") && k !== "databaseUrl")
        .map(([, v]) => v);
      for (const role of ["agent_app", "agent_backup", "memory_admin"]) {
        assert.ok(secrets.some((x) => x.startsWith(`postgresql://${role}:`)), `the ${role} connection URL is a secret`);
      }
      for (const v of expected) {
        assert.ok(secrets.some((x) => x.includes(v)), `graph carries ${v.slice(0, 8)}… as a secret`);
      }
      assert.ok(secrets.length >= 5);
      for (const [file, content] of Object.entries(r.files)) {
        for (const v of [...secrets, ...Object.values(TEST_SECRETS)]) {
          assert.ok(!content.includes(v), `${file} contains a secret value`);
        }
      }
      assert.match(r.files["kubernetes/all.yaml"], /DATABASE_URL: "\[secret\]"/);
    });
  }
});

describe("R-CI-1: every rendered Kubernetes object validates against its schema (kubernetes-models)", () => {
  for (const s of STACKS) {
    it(`R-CI-1: ${s}: all objects pass .validate()`, async () => {
      const r = await stack(s);
      assert.ok(r.manifests.length > 10);
      for (const m of r.manifests) {
        const Model = modelFor(m);
        assert.ok(Model, `no schema for ${m.apiVersion} ${m.kind}: add its @kubernetes-models package`);
        assert.doesNotThrow(() => new Model!(m).validate(), `${m.kind}/${m.metadata.name}`);
      }
    });
  }

  it("R-CI-1: the schema check would catch a broken object", async () => {
    const r = await renderRaw("dev", stackRaw("dev"));
    const d = JSON.parse(JSON.stringify(r.manifests.find((m) => m.kind === "Deployment")));
    d.spec.template.spec.containers[0].ports[0].containerPort = "http";
    const Model = modelFor(d)!;
    assert.throws(() => new Model(d).validate(), /containerPort/);
  });
});

// Helm passes release values to the chart's templates as they are: a parsed quantity or
// duration ({ text, value } or { text, seconds }) where a chart expects "512Mi" or "10Gi"
// renders a mapping into the container's resources or the claim's size, which the API
// server refuses at `pulumi up`. The Kubernetes objects above are schema-checked; release
// values and cloud inputs are not, so the walk below stands for that check.
const parsedValues = (v: unknown, at = ""): string[] => {
  if (!v || typeof v !== "object") return [];
  const keys = Object.keys(v);
  if (!Array.isArray(v) && keys.includes("text") && (keys.includes("value") || keys.includes("seconds")) && keys.length === 2) return [at];
  return Object.entries(v).flatMap(([k, x]) => parsedValues(x, `${at}.${k}`));
};

describe("R-CI-1: every declared input carries text, never a parsed configuration value", () => {
  for (const s of STACKS) {
    it(`R-CI-1: ${s}: no { text, value } or { text, seconds } in any resource's inputs (Helm values included)`, async () => {
      const r = await stack(s);
      const found = r.resources.flatMap((x) => parsedValues(x.inputs).map((p) => `${x.type} ${x.name}${p}`));
      assert.deepEqual(found, []);
    });
  }

  it("R-CI-1: the walk finds a quantity or duration at any depth, and nothing else", () => {
    assert.deepEqual(
      parsedValues({ values: { resources: { limits: { cpu: { text: "1", value: 1 } } }, list: [{ wait: { text: "10s", seconds: 10 } }], ok: { text: "a", note: "b" }, size: "10Gi" } }),
      [".values.resources.limits.cpu", ".values.list.0.wait"],
    );
  });
});
