// R-ENV-14, R-DATA-4: from an empty account to prod serving. The registry lives in a
// Pulumi project of its own (bootstrap/), so it exists and holds the image before prod's
// first `pulumi up` pulls anything: phase 1 the bootstrap stack, phase 2 the push, phase 3
// prod, whose preflight refuses an image the registry lacks (test/stacks/preflight.test.ts).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { BOOTSTRAP_PROJECT, parseBootstrapConfig } from "../../components/config/bootstrap";
import { ConfigError } from "../../components/config";
import { ROOT, readStackConfig } from "../../components/config/stackFile";
import { prerequisites } from "../../components/model/prerequisites";
import { parseStackConfig } from "../../components/config";
import { StackRender, renderBootstrap } from "../../render";
import { stack, stackRaw, workload } from "../helpers/mocks";

let bootstrap: Promise<StackRender> | undefined;
const boot = () => (bootstrap ??= renderBootstrap("prod", ROOT));
const one = (r: StackRender, type: string) => {
  const found = r.resources.filter((x) => x.type === type);
  assert.equal(found.length, 1, type);
  return found[0];
};

describe("R-ENV-14, R-DATA-4: the bootstrap stack and the order from an empty account to prod", () => {
  it("R-DATA-4: phase 1, the bootstrap stack: the ECR repository (scan on push, immutable tags, its own rotating key, lifecycle), protected", async () => {
    const r = await boot();
    // The pipeline's identity beside it: test/stacks/pipeline.test.ts.
    assert.deepEqual(r.resources.map((x) => x.type).filter((t) => !/iam|pipeline/i.test(t)).sort(), [
      "agent-platform:data:ImageRegistry",
      "aws:ecr/lifecyclePolicy:LifecyclePolicy",
      "aws:ecr/repository:Repository",
      "aws:kms/alias:Alias",
      "aws:kms/key:Key",
      "pulumi:providers:aws",
    ]);
    const repo = one(r, "aws:ecr/repository:Repository");
    assert.deepEqual(repo.inputs, {
      name: "agent-platform",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:123456789012:key/registry-key-id" }],
      forceDelete: false,
    });
    assert.equal(repo.options.protect, true);
    const key = one(r, "aws:kms/key:Key");
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.equal(key.options.protect, true);
    assert.deepEqual(one(r, "aws:kms/alias:Alias").options, { deleteBeforeReplace: true });
    const rules = JSON.parse(String(one(r, "aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy)).rules;
    assert.deepEqual(rules.map((x: any) => [x.selection.tagStatus, x.selection.countNumber]), [["untagged", 14], ["any", 200]]);
    const provider = one(r, "pulumi:providers:aws");
    assert.equal(provider.inputs.region, "eu-west-1");
    assert.deepEqual(JSON.parse(String(provider.inputs.allowedAccountIds)), ["123456789012"]);
  });

  it("R-ENV-14: phase 3, prod, declares no registry of its own, pulls only from the bootstrap's, and checks the image is there before anything is declared", async () => {
    const r = await boot();
    const url = r.outputs.repositoryUrl as string;
    assert.equal(url, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/agent-platform");
    const prod = await stack("prod");
    assert.deepEqual(prod.resources.filter((x) => x.type.startsWith("aws:ecr/")), [], "prod creates no repository: a new account's first prod up would otherwise pull from an empty one");
    const image = parse(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")).config["agent-platform:image"] as string;
    assert.ok(image.startsWith(`${url}:`), "prod's image is in the bootstrap's repository");
    // Everything in prod that pulls the platform image runs exactly that image...
    const pullers = prod.manifests.filter((m) => JSON.stringify(m).includes(url));
    assert.deepEqual(pullers.map((m) => m.kind).sort(), ["Job", "Rollout"]);
    for (const m of pullers) assert.ok(JSON.stringify(m).includes(image), m.metadata.name);
    // ...and the preflight, run before any of it is declared, asks the registry for it.
    const check = prerequisites(parseStackConfig(stackRaw("prod"), "prod")).find((p) => p.id === "image")!;
    assert.deepEqual(check.check, {
      kind: "image",
      registryId: "123456789012",
      region: "eu-west-1",
      repository: "agent-platform",
      tag: "1.4.2",
      digest: "sha256:8f4c2d7a9e1b3c5d6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e",
    });
    // The migration Job runs before the Rollout changes (R-PD-7).
    const rollout = prod.resources.find((x) => x.type === "kubernetes:argoproj.io/v1alpha1:Rollout")!;
    assert.ok(rollout.options.dependsOn?.includes("kubernetes:batch/v1:Job::agent-platform-migration"));
    assert.equal(workload(prod).spec.template.spec.containers[0].image, image);
  });

  it("R-ENV-14: the bootstrap stack file and prod's agree on account, region and repository", () => {
    const b = parseBootstrapConfig(readStackConfig("prod", path.join(ROOT, "bootstrap"), BOOTSTRAP_PROJECT), "prod");
    const p = parseStackConfig(stackRaw("prod"), "prod");
    assert.deepEqual([b.accountId, b.region, b.registry.repository], [p.aws.accountId, p.aws.region, p.registry.repository]);
  });

  it("R-ENV-13, R-ENV-11: the bootstrap project by the engine's rules and the program's: a missing key, a bad value, an unknown one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-bootstrap-"));
    try {
      fs.copyFileSync(path.join(ROOT, "bootstrap", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config:\n  agent-platform-bootstrap:region: eu-west-1\n");
      assert.throws(() => readStackConfig("prod", dir, BOOTSTRAP_PROJECT), /Stack 'prod' is missing configuration value 'accountId'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const problems = (raw: Record<string, string>) => {
      try {
        parseBootstrapConfig(Object.fromEntries(Object.entries(raw).map(([k, v]) => [`${BOOTSTRAP_PROJECT}:${k}`, { value: v, secret: false }])), "prod");
        return [];
      } catch (e) {
        assert.ok(e instanceof ConfigError);
        return e.problems;
      }
    };
    assert.deepEqual(problems({ region: "eu-west-1", accountId: "123456789012" }), []);
    // Other namespaces are their owners'; a secret where none is expected is refused.
    assert.deepEqual(
      parseBootstrapConfig(
        {
          "agent-platform-bootstrap:region": { value: "eu-west-1", secret: false },
          "agent-platform-bootstrap:accountId": { value: "123456789012", secret: false },
          "aws:region": { value: "us-east-1", secret: false },
        },
        "prod",
      ).region,
      "eu-west-1",
    );
    assert.throws(
      () => parseBootstrapConfig({ "agent-platform-bootstrap:region": { value: "eu-west-1", secret: false }, "agent-platform-bootstrap:accountId": { value: "123456789012", secret: true } }, "prod"),
      (e: unknown) => e instanceof ConfigError && e.problems.join() === "agent-platform-bootstrap:accountId: is not a secret setting; set it without --secret",
    );
    assert.deepEqual(problems({ region: "eu-west-1" }), ["agent-platform-bootstrap:accountId is required and not set: run `pulumi config set accountId <value>`"]);
    assert.deepEqual(problems({ region: "Europe", accountId: "1234" }), [
      'agent-platform-bootstrap:region = "Europe": must be an AWS region such as eu-west-1',
      'agent-platform-bootstrap:accountId = "1234": must be the 12-digit AWS account ID, quoted ("123456789012")',
    ]);
    const edge = (registry: Record<string, number>) => problems({ region: "eu-west-1", accountId: "123456789012", registry: JSON.stringify(registry) });
    assert.deepEqual([edge({ keepImages: 1 }), edge({ keepImages: 10000 }), edge({ untaggedExpiryDays: 1 }), edge({ untaggedExpiryDays: 3650 })], [[], [], [], []]);
    assert.deepEqual(edge({ keepImages: 0 }), ["agent-platform-bootstrap:registry.keepImages = 0: must be ≥ 1"]);
    assert.deepEqual(edge({ keepImages: 10001 }), ["agent-platform-bootstrap:registry.keepImages = 10001: must be ≤ 10000"]);
    assert.deepEqual(edge({ untaggedExpiryDays: 0 }), ["agent-platform-bootstrap:registry.untaggedExpiryDays = 0: must be ≥ 1"]);
    assert.deepEqual(edge({ untaggedExpiryDays: 3651 }), ["agent-platform-bootstrap:registry.untaggedExpiryDays = 3651: must be ≤ 3650"]);
    assert.deepEqual(problems({ region: "eu-west-1", accountId: "123456789012", registry: '{"repository":"Agent","keep":3}' }), [
      'agent-platform-bootstrap:registry.repository = "Agent": must be an ECR repository name such as agent-platform',
      "agent-platform-bootstrap:registry.keep: is not a setting of the bootstrap stack",
    ]);
  });
});
