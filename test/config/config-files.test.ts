// R-ENV-10, R-ENV-11: where a stack's configuration comes from: the stack files the render
// reads as Pulumi would pass them (components/config/stackFile.ts), the Pulumi runtime
// (components/config/index.ts), and the RDS root CA the pods verify the server with
// (components/config/rdsCa.ts).
import { strict as assert } from "assert";
import { X509Certificate } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, readRawConfig } from "../../components/config";
import { rdsCaBundle } from "../../components/config/rdsCa";
import { listStacks, readStackConfig } from "../../components/config/stackFile";

/** A folder with the given files; removed after `use`. */
function withFiles<T>(files: Record<string, string>, use: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-files-"));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return use(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const PROJECT_FILE = "name: agent-platform\nruntime: nodejs\n";

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a ConfigError");
}

describe("R-ENV-10, R-ENV-11: stack files", () => {
  it("R-ENV-10: the stacks are the Pulumi.<stack>.yaml files, by name, and nothing else", () => {
    withFiles(
      { "Pulumi.yaml": PROJECT_FILE, "Pulumi.prod.yaml": "", "Pulumi.dev.yaml": "", "Pulumi.qa-eu.yaml": "", "Pulumi.dev.yaml.bak": "", "xPulumi.staging.yaml": "", "README.md": "" },
      (dir) => assert.deepEqual(listStacks(dir), ["dev", "prod", "qa-eu"]),
    );
  });

  it("R-ENV-11: a stack without its file names the stacks there are, or says there are none", () => {
    withFiles({ "Pulumi.yaml": PROJECT_FILE, "Pulumi.dev.yaml": "", "Pulumi.prod.yaml": "" }, (dir) =>
      assert.throws(() => readStackConfig("prd", dir), { message: "no stack file Pulumi.prd.yaml; known stacks: dev, prod" }),
    );
    withFiles({ "Pulumi.yaml": PROJECT_FILE }, (dir) => assert.throws(() => readStackConfig("dev", dir), { message: "no stack file Pulumi.dev.yaml; known stacks: (none)" }));
  });

  it("R-ENV-10: values arrive as Pulumi passes them: strings as written, the rest as JSON, project defaults under the project's namespace, secure values as secrets", () => {
    const project = `${PROJECT_FILE}config:\n  logLevel:\n    default: warn\n  agent-platform:replicas:\n    default: 2\n  kubernetes:context:\n    value: kind-dev\n`;
    const stack = "config:\n  agent-platform:environment: dev\n  agent-platform:autoscaling:\n    maxReplicas: 4\n  agent-platform:llmApiKey:\n    secure: v1:abc\n  aws:region: eu-west-1\n";
    withFiles({ "Pulumi.yaml": project, "Pulumi.dev.yaml": stack }, (dir) =>
      assert.deepEqual(readStackConfig("dev", dir), {
        "agent-platform:logLevel": { value: "warn", secret: false },
        "agent-platform:replicas": { value: "2", secret: false },
        "agent-platform:environment": { value: "dev", secret: false },
        "agent-platform:autoscaling": { value: '{"maxReplicas":4}', secret: false },
        "agent-platform:llmApiKey": { value: "placeholder-for-llmApiKey", secret: true },
        "aws:region": { value: "eu-west-1", secret: false },
        "kubernetes:context": { value: "kind-dev", secret: false },
      }),
    );
  });

  it("R-ENV-11: `config:` that is not a mapping is one problem naming the file", () => {
    for (const text of ["config: 3\n", "config:\n  - a\n"]) {
      withFiles({ "Pulumi.yaml": PROJECT_FILE, "Pulumi.dev.yaml": text }, (dir) =>
        assert.deepEqual(configError(() => readStackConfig("dev", dir)).problems, ["Pulumi.dev.yaml: `config:` must be a mapping of keys to values"]),
      );
    }
    withFiles({ "Pulumi.yaml": PROJECT_FILE, "Pulumi.dev.yaml": "" }, (dir) => assert.deepEqual(readStackConfig("dev", dir), {}, "an empty file has no values"));
  });

  it("R-ENV-11: a YAML syntax error is file:line:column and the parser's reason, without the parser's own position", () => {
    const text = "config:\n" + Array.from({ length: 10 }, (_, i) => `  k${i}: v\n`).join("") + '  agent-platform:image: "ghcr.io/a" x\n';
    withFiles({ "Pulumi.yaml": PROJECT_FILE, "Pulumi.dev.yaml": text }, (dir) =>
      assert.deepEqual(configError(() => readStackConfig("dev", dir)).problems, ["Pulumi.dev.yaml:12:37: YAML syntax error: Unexpected scalar at node end"]),
    );
  });
});

describe("R-ENV-11: the Pulumi runtime's configuration", () => {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: unknown };

  it("R-ENV-11: without runtime.isConfigSecret the program stops and says to pin @pulumi/pulumi, rather than guess which values are secret", () => {
    const probe = runtime.isConfigSecret;
    runtime.isConfigSecret = undefined;
    try {
      assert.throws(() => readRawConfig(), { message: "this @pulumi/pulumi version does not expose runtime.isConfigSecret; pin the version in package.json" });
    } finally {
      runtime.isConfigSecret = probe;
    }
  });
});

describe("R-DATA-0, R-WL-8: the RDS root CA the pods verify the server with", () => {
  it("R-DATA-0: the bundle is the region's root CA of the family, one certificate, ending in one newline", () => {
    const pem = rdsCaBundle({ aws: { region: "eu-west-1" }, memoryStore: { rds: { caCertIdentifier: "rds-ca-rsa2048-g1" } } });
    assert.match(pem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----\n$/);
    assert.equal(pem.match(/BEGIN CERTIFICATE/g)?.length, 1);
    assert.equal(new X509Certificate(pem).subject.split("\n").find((l) => l.startsWith("CN=")), "CN=Amazon RDS eu-west-1 Root CA RSA2048 G1");
  });
});
