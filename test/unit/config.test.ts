// R-ENV-10, R-ENV-11: configuration is validated before anything is declared, and a bad
// value stops the program with one message naming the key, the value and what is allowed.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, RawConfig, loadStackConfig, parseStackConfig } from "../../components/config";
import { createStack } from "../../components/stack";
import { Recorder, runWithMocks } from "../../render/mockRuntime";
import { ROOT } from "../../render/stackFile";
import { stackRaw } from "../helpers/mocks";

function errorOf(raw: RawConfig, stack = "prod"): ConfigError {
  try {
    parseStackConfig(raw, stack);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected the configuration to be rejected");
}

const withOverrides = (o: Record<string, unknown>, stack = "prod") => errorOf(stackRaw(stack, o), stack);

interface BadCase {
  what: string;
  overrides: Record<string, unknown>;
  key: string;
  value: string;
  allowed: RegExp;
  stack?: string;
}

const BAD: BadCase[] = [
  { what: "negative replicas", overrides: { replicas: -1 }, key: "agent-platform:replicas", value: "-1", allowed: /≥ 1/ },
  { what: "zero replicas", overrides: { replicas: 0 }, key: "agent-platform:replicas", value: "0", allowed: /≥ 1/ },
  { what: "fractional replicas", overrides: { replicas: 1.5 }, key: "agent-platform:replicas", value: "1.5", allowed: /whole number/ },
  {
    what: "HPA min > max",
    overrides: { autoscaling: { minReplicas: 12 } },
    key: "agent-platform:autoscaling.minReplicas",
    value: "12",
    allowed: /≤ agent-platform:autoscaling.maxReplicas = 10/,
  },
  {
    what: "CPU limit below request",
    overrides: { resources: { limits: { cpu: "250m" } } },
    key: "agent-platform:resources.limits.cpu",
    value: '"250m"',
    allowed: /≥ agent-platform:resources.requests.cpu = "1000m"/,
  },
  {
    what: "an unknown environment",
    overrides: { environment: "qa" },
    key: "agent-platform:environment",
    value: '"qa"',
    allowed: /one of dev, staging, prod/,
  },
  {
    what: "a malformed quantity (2Gb)",
    overrides: { resources: { requests: { memory: "2Gb" } } },
    key: "agent-platform:resources.requests.memory",
    value: '"2Gb"',
    allowed: /Kubernetes quantity/,
  },
  {
    what: "a malformed duration",
    overrides: { shutdown: { preStopDelay: "10 seconds" } },
    key: "agent-platform:shutdown.preStopDelay",
    value: '"10 seconds"',
    allowed: /duration such as 30s/,
  },
  {
    what: "an unknown top-level key (typo)",
    overrides: { replcas: 3 },
    key: "agent-platform:replcas",
    value: "3",
    allowed: /not a known setting \(did you mean "replicas"\?\)/,
  },
  {
    what: "an unknown nested key (typo)",
    overrides: { autoscaling: { maxReplica: 12 } },
    key: "agent-platform:autoscaling.maxReplica",
    value: "12",
    allowed: /did you mean "maxReplicas"/,
  },
  {
    what: "mocked external services outside dev (R-ENV-8)",
    overrides: { externalServices: "mocked" },
    key: "agent-platform:externalServices",
    value: '"mocked"',
    allowed: /only dev may mock/,
  },
  {
    what: "the mutable image tag latest",
    overrides: { image: "ghcr.io/acme/agent-platform:latest" },
    key: "agent-platform:image",
    value: '"ghcr.io/acme/agent-platform:latest"',
    allowed: /must not use the mutable tag 'latest'/,
  },
  {
    what: "a grace period shorter than the preStop delay",
    overrides: { shutdown: { preStopDelay: "30s", terminationGracePeriod: "20s" } },
    key: "agent-platform:shutdown.terminationGracePeriod",
    value: '"20s"',
    allowed: /longer than agent-platform:shutdown.preStopDelay/,
  },
];

describe("R-ENV-11: configuration is validated before anything is declared", () => {
  for (const c of BAD) {
    it(`R-ENV-11: rejects ${c.what} with one line naming ${c.key}, its value and what is allowed`, () => {
      const e = withOverrides(c.overrides, c.stack);
      assert.equal(e.problems.length, 1, `one problem expected, got: ${e.message}`);
      assert.ok(!e.message.includes("\n"), "the message is one line");
      assert.ok(e.message.includes(`${c.key} = ${c.value}`), `names key and value: ${e.message}`);
      assert.match(e.message, c.allowed);
    });
  }

  it("R-ENV-11, R-WL-6: rejects a secret given in plain text without printing it", () => {
    const raw = stackRaw("prod");
    raw["agent-platform:databaseUrl"] = { value: "postgres://u:plain-pass@h/db", secret: false };
    const e = errorOf(raw);
    assert.match(e.message, /agent-platform:databaseUrl is set in plain text/);
    assert.match(e.message, /pulumi config set --secret databaseUrl/);
    assert.ok(!e.message.includes("plain-pass"), "the plain-text value is withheld");
  });

  it("R-ENV-11: a missing required secret names the command that sets it", () => {
    const raw = stackRaw("prod");
    delete raw["agent-platform:databaseUrl"];
    assert.match(errorOf(raw).message, /agent-platform:databaseUrl is required and not set: run `pulumi config set --secret databaseUrl/);
  });

  it("R-ENV-11: a missing environment is reported with the allowed names", () => {
    const raw = stackRaw("prod");
    delete raw["agent-platform:environment"];
    assert.match(errorOf(raw).message, /agent-platform:environment is not set: it must be one of dev, staging, prod/);
  });

  it("R-ENV-11: a cross-field check against a profile default names both keys and values", () => {
    // staging profile: maxReplicas 4; raising only minReplicas crosses it.
    const e = withOverrides({ autoscaling: { minReplicas: 5 } }, "staging");
    assert.match(e.message, /agent-platform:autoscaling.minReplicas = 5: must be ≤ agent-platform:autoscaling.maxReplicas = 4/);
  });

  it("R-ENV-11: several problems are reported together on one line", () => {
    const e = withOverrides({ replicas: 0, logLevel: "verbose" });
    assert.equal(e.problems.length, 2);
    assert.ok(!e.message.includes("\n"));
    assert.match(e.message, /agent-platform:logLevel = "verbose": must be one of debug, info, warn, error/);
  });

  it("R-ENV-11: keys of other namespaces (providers) are left to their owners", () => {
    const raw = stackRaw("prod");
    raw["kubernetes:context"] = { value: "prod-cluster", secret: false };
    raw["aws:region"] = { value: "eu-west-1", secret: false };
    assert.equal(parseStackConfig(raw, "prod").environment, "prod");
  });

  it("R-ENV-11: under the Pulumi runtime a bad value is a RunError and no resource is declared", async () => {
    const recorder = new Recorder();
    let error: unknown;
    try {
      await runWithMocks("prod", stackRaw("prod", { replicas: -3 }), () => createStack(loadStackConfig()), recorder);
    } catch (e) {
      error = e;
    }
    assert.equal((error as Error)?.constructor?.name, "RunError", "RunError prints without a stack trace");
    assert.match((error as Error).message, /agent-platform:replicas = -3: must be ≥ 1/);
    assert.deepEqual(recorder.resources, [], "nothing half-declared");
    // The same run with valid config declares the stack, so the empty list above means something.
    const ok = await runWithMocks("prod", stackRaw("prod"), () => createStack(loadStackConfig()));
    assert.ok(ok.resources.length > 10);
  });
});

describe("R-ENV-11: the render command fails cleanly on invalid configuration", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent-platform-cfg-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, string, RegExp]> = [
    ["negative replicas", "  agent-platform:replicas: -2\n", /agent-platform:replicas = -2: must be ≥ 1/],
    ["2Gb memory", "  agent-platform:resources:\n    limits:\n      memory: 2Gb\n", /resources.limits.memory = "2Gb"/],
    ["typo key", "  agent-platform:autoscalling:\n    enabled: true\n", /agent-platform:autoscalling = .*did you mean "autoscaling"/],
    ["plain-text secret", "  agent-platform:databaseUrl: postgres://u:hunter2@h/db\n", /databaseUrl is set in plain text/],
  ];
  for (const [what, extra, expected] of cases) {
    it(`R-ENV-11: ${what}: exit 1, one line on stderr, no stack trace, nothing written`, () => {
      const stackFile = `config:\n  agent-platform:environment: prod\n  agent-platform:image: ghcr.io/acme/agent-platform:1.4.2\n${extra}`;
      fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), stackFile);
      const out = path.join(dir, "out");
      const res = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts/render.ts"), "bad", "--config-dir", dir, "--out", out],
        { cwd: ROOT, encoding: "utf8" },
      );
      assert.equal(res.status, 1, `exit code; stderr: ${res.stderr}`);
      const lines = res.stderr.trim().split("\n");
      assert.equal(lines.length, 1, `one line: ${res.stderr}`);
      assert.match(lines[0], expected);
      assert.ok(!/\bat .*\.(ts|js):\d+/.test(res.stderr), "no stack trace");
      assert.ok(!res.stderr.includes("hunter2"), "plain-text secret is not echoed");
      assert.ok(!fs.existsSync(path.join(out, "bad")), "nothing rendered");
    });
  }
});
