// R-ENV-13: the render reads Pulumi.yaml and the stack files by the engine's own rules
// (pulumi/pulumi v3.248.0, sdk/go/common/workspace/config.go and project.go; see
// components/config/project.ts), so a stack the engine would refuse before the program
// runs is refused here too, with the engine's words, and the shipped files pass.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError } from "../../components/config";
import { applyProjectConfig, projectDeclarations, valueHasType } from "../../components/config/project";
import { ROOT, listStacks, readStackConfig } from "../../components/config/stackFile";

function withFiles<T>(files: Record<string, string>, use: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-engine-"));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return use(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const HEAD = "name: agent-platform\nruntime: nodejs\n";
const SHIPPED_PROJECT = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
const DEV = "config:\n  agent-platform:environment: dev\n  agent-platform:image: ghcr.io/acme/agent-platform:1.4.2\n  agent-platform:delivery:\n    strategy: rolling\n";

function problems(project: string, stack: string): string[] {
  return withFiles({ "Pulumi.yaml": project, "Pulumi.dev.yaml": stack }, (dir) => {
    try {
      readStackConfig("dev", dir);
      return [];
    } catch (e) {
      assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
      return e.problems;
    }
  });
}

/** The render CLI in its own process, as a user runs it. */
function renderProcess(project: string, stack: string): { status: number | null; stderr: string } {
  return withFiles({ "Pulumi.yaml": project, "Pulumi.dev.yaml": stack }, (dir) => {
    const res = spawnSync(process.execPath, [path.join(ROOT, "scripts/render-cli.js"), "dev", "--config-dir", dir, "--out", path.join(dir, "out")], {
      cwd: ROOT,
      encoding: "utf8",
    });
    return { status: res.status, stderr: res.stderr };
  });
}

describe("R-ENV-13: Pulumi.yaml and the stack files as the engine reads them", () => {
  it("R-ENV-13: the shipped Pulumi.yaml declares only what every stack sets, and every shipped stack file satisfies it", () => {
    const doc = parse(SHIPPED_PROJECT) as { config: Record<string, Record<string, unknown>> };
    assert.deepEqual(Object.keys(doc.config).sort(), ["environment", "image"]);
    for (const [key, decl] of Object.entries(doc.config)) {
      assert.equal(decl.type, "string", key);
      assert.equal(decl.default, undefined, `${key}: required in every stack`);
      assert.equal(decl.secret, undefined, `${key}: a secret declaration would be required in every stack too`);
    }
    assert.deepEqual(listStacks(), ["dev", "prod", "staging"]);
    for (const s of listStacks()) {
      const raw = readStackConfig(s);
      assert.equal(raw["agent-platform:environment"].value, s);
      assert.match(raw["agent-platform:image"].value, /^[\w.-]+(:\d+)?\//);
    }
  });

  it("R-ENV-13: the CLI version the rules were read at is pinned in one file", () => {
    assert.equal(fs.readFileSync(path.join(ROOT, ".pulumi-version"), "utf8"), "3.248.0\n");
  });

  it("R-ENV-13: through the CLI process: a required key missing from the stack file exits 1 with one line naming it", () => {
    const res = renderProcess(SHIPPED_PROJECT, "config:\n  agent-platform:environment: dev\n  agent-platform:delivery:\n    strategy: rolling\n");
    assert.equal(res.status, 1);
    assert.equal(
      res.stderr,
      `error: Invalid configuration for stack "dev": Stack 'dev' is missing configuration value 'image' (Pulumi.yaml declares it without a default, so every stack must set it: \`pulumi config set <key> <value>\`)\n`,
    );
  });

  it("R-ENV-13: through the CLI process: a key declared secret and set in plain text exits 1 with one line naming it", () => {
    const res = renderProcess(`${SHIPPED_PROJECT}  llmApiKey:\n    type: string\n    secret: true\n`, `${DEV}  agent-platform:llmApiKey: sk-plain\n`);
    assert.equal(res.status, 1);
    assert.equal(res.stderr, `error: Invalid configuration for stack "dev": Stack 'dev' with configuration key 'llmApiKey' must be encrypted as it's secret\n`);
    assert.ok(!res.stderr.includes("sk-plain"), "the value is not printed");
  });

  it("R-ENV-13: through the CLI process: a value not of its declared type exits 1 with one line naming key and type", () => {
    const res = renderProcess(`${SHIPPED_PROJECT}  replicas:\n    type: integer\n    description: x\n`, `${DEV}  agent-platform:replicas: two\n`);
    assert.equal(res.status, 1);
    assert.equal(res.stderr, `error: Invalid configuration for stack "dev": Stack 'dev' with configuration key 'replicas' must be of type 'integer'\n`);
  });

  it("R-ENV-13: required keys: all missing ones in one message, sorted, the engine's punctuation", () => {
    const project = `${HEAD}config:\n  zeta:\n    type: string\n  alpha:\n    type: string\n  mid:\n    description: untyped but required\n  aws:region:\n    value: eu-west-1\n`;
    const prefix = "Stack 'dev' is missing configuration ";
    const p = problems(project, "config: {}\n");
    assert.equal(p.length, 1);
    assert.ok(p[0].startsWith(`${prefix}values 'alpha', 'mid' and 'zeta' (`), p[0]);
    assert.ok(problems(project, "config:\n  agent-platform:alpha: a\n")[0].startsWith(`${prefix}values 'mid' and 'zeta' (`));
    assert.ok(problems(project, "config:\n  agent-platform:alpha: a\n  agent-platform:mid: m\n")[0].startsWith(`${prefix}value 'zeta' (`));
    assert.deepEqual(problems(project, "config:\n  agent-platform:alpha: a\n  agent-platform:mid: m\n  agent-platform:zeta: z\n"), []);
  });

  it("R-ENV-13: the missing-keys message whole, for one key and for several", () => {
    const project = `${HEAD}config:\n  b:\n    type: string\n  a:\n    type: string\n  c:\n    type: string\n`;
    assert.deepEqual(problems(project, "config:\n  agent-platform:a: x\n  agent-platform:c: x\n"), [
      "Stack 'dev' is missing configuration value 'b' (Pulumi.yaml declares it without a default, so every stack must set it: `pulumi config set <key> <value>`)",
    ]);
    assert.deepEqual(problems(project, "config: {}\n"), [
      "Stack 'dev' is missing configuration values 'a', 'b' and 'c' (Pulumi.yaml declares them without a default, so every stack must set them: `pulumi config set <key> <value>`)",
    ]);
  });

  it("R-ENV-13: the declarations' own shape: nothing declared, a bare value, items of items, two unknown fields, a config that is no mapping", () => {
    assert.deepEqual(problems(`${HEAD}config:\n  a:\n`, "config: {}\n"), ["Pulumi.yaml: configuration key 'a' declares nothing; give it a type, a default or a value"]);
    const bare = withFiles({ "Pulumi.yaml": `${HEAD}config:\n  region: eu-west-1\n  zones: [a, b]\n`, "Pulumi.dev.yaml": "config: {}\n" }, (dir) => readStackConfig("dev", dir));
    assert.deepEqual(bare, { "agent-platform:region": { value: "eu-west-1", secret: false }, "agent-platform:zones": { value: '["a","b"]', secret: false } });
    assert.deepEqual(problems(`${HEAD}config:\n  a:\n    type: array\n    items:\n      type: float\n`, "config: {}\n"), [
      "Pulumi.yaml: configuration key 'a': items.type must be one of string, integer, boolean, array, object",
    ]);
    assert.deepEqual(problems(`${HEAD}config:\n  a:\n    type: array\n    items:\n      type: array\n`, "config: {}\n"), [
      "Pulumi.yaml: configuration key 'a': array items must name their own items",
    ]);
    assert.deepEqual(problems(`${HEAD}config:\n  a:\n    type: array\n    items:\n      type: array\n      items:\n        type: string\n    default: [[x]]\n`, "config: {}\n"), []);
    assert.deepEqual(problems(`${HEAD}config:\n  a:\n    type: string\n    min: 1\n    max: 2\n`, "config: {}\n"), [
      "Pulumi.yaml: configuration key 'a' has 'min', 'max'; a declaration has only type, items, description, secret, default, value",
    ]);
    assert.deepEqual(problems(`${HEAD}config: stacks/\n`, "config: {}\n"), ["Pulumi.yaml: `config:` must be a mapping of keys to their declarations"]);
    assert.deepEqual(problems(`${HEAD}config:\n`, "config: {}\n"), [], "an empty config block declares nothing");
  });

  it("R-ENV-13: a typed secure value is the engine's to check once decrypted; defaults are checked as YAML wrote them", () => {
    const project = `${HEAD}config:\n  port:\n    type: integer\n  debug:\n    type: boolean\n    default: true\n  big:\n    type: integer\n    default: 3\n`;
    assert.deepEqual(problems(project, "config:\n  agent-platform:port:\n    secure: v1:abc\n"), []);
    assert.deepEqual(problems(project, "config:\n  agent-platform:port: 12345\n  agent-platform:big: '9223372036854775807'\n"), []);
    assert.deepEqual(problems(project, "config:\n  agent-platform:port: 1\n  agent-platform:big: '99999999999999999999'\n"), [
      "Stack 'dev' with configuration key 'big' must be of type 'integer'",
    ], "beyond 64 bits, strconv.Atoi fails");
    assert.deepEqual(problems(`${HEAD}config:\n  debug:\n    type: boolean\n    default: false\n`, "config: {}\n"), []);
    assert.deepEqual(problems(`${HEAD}config:\n  debug:\n    type: boolean\n    default: maybe\n`, "config: {}\n"), [
      "The default value specified for configuration key 'debug' is not of the expected type 'boolean'",
    ]);
  });

  it("R-ENV-13: defaults and values fill keys the stack leaves out; the stack's own value wins; another namespace's value passes through", () => {
    const project = `${HEAD}config:\n  logLevel:\n    type: string\n    default: warn\n  agent-platform:replicas:\n    default: 2\n  tags:\n    value:\n      team: ops\n  aws:region:\n    value: eu-west-1\n`;
    const raw = withFiles({ "Pulumi.yaml": project, "Pulumi.dev.yaml": "config:\n  agent-platform:replicas: 4\n" }, (dir) => readStackConfig("dev", dir));
    assert.deepEqual(raw, {
      "agent-platform:replicas": { value: "4", secret: false },
      "agent-platform:logLevel": { value: "warn", secret: false },
      "agent-platform:tags": { value: '{"team":"ops"}', secret: false },
      "aws:region": { value: "eu-west-1", secret: false },
    });
  });

  it("R-ENV-13: Pulumi.yaml's own rules (project.go Validate) with the engine's words", () => {
    const cases: Array<[string, string]> = [
      ["  a:\n    default: x\n    value: y\n", "project config 'a' cannot have both a 'default' and 'value' attribute"],
      ["  a:\n    type: array\n", "The configuration key 'a' declares an array but does not specify the underlying type via the 'items' attribute"],
      ["  a:\n    type: integer\n    default: many\n", "The default value specified for configuration key 'a' is not of the expected type 'integer'"],
      ["  a:\n    type: array\n    items:\n      type: integer\n    default: [1, x]\n", "The default value specified for configuration key 'a' is not of the expected type 'array<integer>'"],
      ["  kubernetes:context:\n    type: string\n", "Configuration key 'kubernetes:context' is not namespaced by the project and should not define a type"],
      [
        "  aws:region:\n    default: eu-west-1\n",
        "Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?",
      ],
      ["  aws:region:\n    description: the region\n", "Configuration key 'aws:region' is namespaced and must provide an attribute 'value'"],
      ["  a:\n    type: number\n", "Pulumi.yaml: configuration key 'a' has type 'number'; the types are string, integer, boolean, array, object"],
      ["  a:\n    type: string\n    required: true\n", "Pulumi.yaml: configuration key 'a' has 'required'; a declaration has only type, items, description, secret, default, value"],
    ];
    for (const [decl, message] of cases) assert.deepEqual(problems(`${HEAD}config:\n${decl}`, "config: {}\n"), [message], decl);
    assert.deepEqual(problems("name: other\nruntime: nodejs\n", "config: {}\n"), [
      'Pulumi.yaml: the project\'s name must be "agent-platform" (the namespace of every key this program reads), not "other"',
    ]);
  });

  it("R-ENV-13: declared types, as ValidateConfigValue reads a stack file's text", () => {
    const typed = (type: string, value: string) => problems(`${HEAD}config:\n  k:\n    type: ${type}\n    default: ${type === "object" ? "{}" : type === "integer" ? "0" : type === "boolean" ? "false" : "x"}\n`, `config:\n  agent-platform:k: ${value}\n`);
    const wrong = (type: string) => [`Stack 'dev' with configuration key 'k' must be of type '${type}'`];
    assert.deepEqual(typed("integer", "3"), []);
    assert.deepEqual(typed("integer", "-3"), []);
    assert.deepEqual(typed('integer', '"7"'), [], "a quoted number is text that parses as an integer");
    assert.deepEqual(typed("integer", "3.5"), wrong("integer"));
    assert.deepEqual(typed("integer", "three"), wrong("integer"));
    assert.deepEqual(typed("boolean", "true"), []);
    assert.deepEqual(typed("boolean", '"false"'), []);
    assert.deepEqual(typed("boolean", "yes"), wrong("boolean"));
    assert.deepEqual(typed("string", "42"), [], "a number written in the stack file reaches the check as text");
    assert.deepEqual(typed("string", "{a: 1}"), wrong("string"));
    assert.deepEqual(typed("object", "{a: 1}"), []);
    assert.deepEqual(typed("object", "flat"), wrong("object"));
    assert.deepEqual(typed("object", "[1]"), wrong("object"));
    assert.ok(valueHasType("array", { type: "integer" }, [1, 2]));
    assert.ok(!valueHasType("array", { type: "integer" }, [1, 2.5]));
    assert.ok(!valueHasType("array", undefined, [1]), "an array without items is never valid");
    assert.ok(valueHasType("array", { type: "array", items: { type: "string" } }, [["a"], []]));
    assert.ok(!valueHasType("array", { type: "array", items: { type: "string" } }, [["a"], [1]]));
  });

  it("R-ENV-13: secrets: a secret key must be secure; a secure value of another key is kept secret; the first failing key in sorted order is named", () => {
    const project = `${HEAD}config:\n  b:\n    type: string\n    secret: true\n  a:\n    type: integer\n`;
    assert.deepEqual(problems(project, "config:\n  agent-platform:a: x\n  agent-platform:b: plain\n"), ["Stack 'dev' with configuration key 'a' must be of type 'integer'"]);
    assert.deepEqual(problems(project, "config:\n  agent-platform:a: 1\n  agent-platform:b: plain\n"), ["Stack 'dev' with configuration key 'b' must be encrypted as it's secret"]);
    assert.deepEqual(problems(project, "config:\n  agent-platform:a: 1\n  agent-platform:b:\n    secure: v1:abc\n"), []);
    const { declarations } = projectDeclarations("agent-platform", { k: { type: "string", secret: true, default: "d" } });
    assert.deepEqual(applyProjectConfig("dev", "agent-platform", declarations, {}).problems, [
      "Stack 'dev' with configuration key 'k' must be encrypted as it's secret",
    ], "a default is never secure, so a secret key cannot have one");
  });
});
