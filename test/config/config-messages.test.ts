// R-ENV-11: how a configuration problem is worded (components/config/messages.ts): the key
// as the operator types it, the value as written and cut where it is long, what zod's
// checks mean in words, and a "did you mean" only for names close enough to be typos.
import { strict as assert } from "assert";
import { ConfigError, parseStackConfig } from "../../components/config";
import { closest, keyName, levenshtein, show } from "../../components/config/messages";
import { deepMerge } from "../../components/config/merge";
import { decode } from "../../components/config/parse";
import { SecretValue } from "../../components/config/secret";
import { at, problemsOf } from "../helpers/config";
import { stackRaw } from "../helpers/mocks";

describe("R-ENV-11: the wording of configuration problems", () => {
  it("R-ENV-11: a key is named as `pulumi config set --path` takes it", () => {
    assert.equal(keyName(["delivery", "canarySteps", 1, "weight"]), "agent-platform:delivery.canarySteps[1].weight");
    assert.equal(keyName(["network", "egress", 0, "except", 2]), "agent-platform:network.egress[0].except[2]");
    assert.equal(keyName(["replicas"]), "agent-platform:replicas");
  });

  it("R-ENV-11: a value is shown as written, up to 80 characters; a longer one is cut to 77 and '...'", () => {
    assert.equal(show("x".repeat(78)), `"${"x".repeat(78)}"`, "80 characters with the quotes: whole");
    assert.equal(show("x".repeat(79)), `"${"x".repeat(76)}...`, "81 characters: cut");
    assert.equal(show(3), "3");
    assert.equal(show(undefined), "(not set)");
    assert.equal(show(new SecretValue("hunter2")), "[secret]");
    // Parsed durations, quantities and sizes are shown as the operator wrote them.
    assert.equal(show({ text: "5m", seconds: 300 }), '"5m"');
    assert.equal(show({ text: "2Gi", value: 2147483648 }), '"2Gi"');
    assert.equal(show({ text: "180GB", bytes: 193273528320 }), '"180GB"');
    assert.equal(show({ text: "a" }), '{"text":"a"}', "any other object as JSON");
    assert.equal(show(null), "null");
  });

  it("R-ENV-11: edit distance ignores case", () => {
    assert.equal(levenshtein("kitten", "sitting"), 3);
    assert.equal(levenshtein("Replicas", "replicas"), 0);
    assert.equal(levenshtein("", "abc"), 3);
    assert.equal(levenshtein("abc", ""), 3);
  });

  it("R-ENV-11: 'did you mean' offers the nearest name within max(2, a third of the name's length)", () => {
    // 9 characters: up to 3 edits.
    assert.equal(closest("abcdefghi", ["zzzzzzzzz", "abcdefxyz"]), "abcdefxyz");
    assert.equal(closest("abcdefghi", ["abcdewxyz"]), undefined, "4 edits is too far");
    // 6 characters: up to 2.
    assert.equal(closest("abcdef", ["abcdxy"]), "abcdxy");
    assert.equal(closest("abcdef", ["abcxyz"]), undefined, "3 edits is too far");
    // The nearest of several wins, whatever the order.
    assert.equal(closest("replcas", ["replicaz", "replicas"]), "replicas");
    assert.equal(closest("replcas", ["replicas", "replicaz"]), "replicas");
    assert.equal(closest("x", []), undefined);
  });

  it("R-ENV-11: zod's checks in words: list length, text length, exclusive bounds, e-mail, type", () => {
    const cases: Array<[string, string, unknown, string]> = [
      ["staging", "aws.privateSubnetIds", ["subnet-0a1b2c3d4e5f60111"], 'agent-platform:aws.privateSubnetIds = ["subnet-0a1b2c3d4e5f60111"]: must list at least 2 item(s)'],
      ["dev", "kubeContext", "", 'agent-platform:kubeContext = "": must have at least 1 character(s)'],
      ["dev", "alerting.rules.errorRate.warning.threshold", 0, "agent-platform:alerting.rules.errorRate.warning.threshold = 0: must be > 0"],
      ["dev", "alerting.rules.errorRate.critical.threshold", 1, "agent-platform:alerting.rules.errorRate.critical.threshold = 1: must be < 1"],
      ["dev", "replicas", 101, "agent-platform:replicas = 101: must be ≤ 100"],
      ["dev", "alerting.receivers.emailTo", "oncall", 'agent-platform:alerting.receivers.emailTo = "oncall": must be an e-mail address'],
      ["dev", "network.databaseCidrs", "10.0.0.0/8", 'agent-platform:network.databaseCidrs = "10.0.0.0/8": must be a list'],
      ["dev", "autoscaling.enabled", "yes", 'agent-platform:autoscaling.enabled = "yes": must be a boolean'],
    ];
    for (const [stack, key, value, problem] of cases) assert.deepEqual(problemsOf(stack, at(key, value)), [problem], `${key} = ${JSON.stringify(value)}`);
  });
});

describe("R-ENV-11: reading the raw values Pulumi hands over", () => {
  it("R-ENV-11: JSON where a value looks like JSON (objects, lists, numbers, booleans, null), the string otherwise", () => {
    assert.deepEqual(decode(' {"a": [1]} '), { a: [1] });
    assert.equal(decode("-1.5"), -1.5);
    assert.equal(decode("42"), 42);
    assert.equal(decode("true"), true);
    assert.equal(decode("false"), false);
    assert.equal(decode("null"), null);
    for (const text of ["1.", "1e3", "True", "[3", "v1.2", "0x10", "- 1"]) assert.equal(decode(text), text, `${text} stays a string`);
  });

  it("R-ENV-11: a stack's value merges into the profile's: objects key by key, lists and scalars replaced", () => {
    assert.deepEqual(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1, e: { f: 1 } }, { a: { c: [3] }, d: { x: 1 }, e: 2 }), { a: { b: 1, c: [3] }, d: { x: 1 }, e: 2 });
    assert.deepEqual(deepMerge({ a: [1, 2] }, { a: { 0: 9 } }), { a: { 0: 9 } }, "an object replaces a list");
  });

  it("R-ENV-11: a namespace within 3 edits of the project's is a typo; further ones and the providers' are left alone", () => {
    const with_ = (ns: string) => {
      const raw = stackRaw("dev");
      raw[`${ns}:replicas`] = { value: "2", secret: false };
      return raw;
    };
    assert.throws(() => parseStackConfig(with_("agent-platfxyz"), "dev"), /agent-platfxyz:replicas: "agent-platfxyz" is not this project's namespace \(did you mean "agent-platform:replicas"\?\); the program would ignore it/);
    for (const ns of ["agent-plawxyz", "aws", "kubernetes", "pulumi", "random"]) assert.doesNotThrow(() => parseStackConfig(with_(ns), "dev"), ns);
  });

  it("R-ENV-11: the image is required; an environment that is not a name gets the list without a guess", () => {
    const raw = stackRaw("dev");
    delete raw["agent-platform:image"];
    assert.throws(() => parseStackConfig(raw, "dev"), (e: ConfigError) => {
      assert.deepEqual(e.problems, ["agent-platform:image is required and not set: run `pulumi config set image <value>`"]);
      return true;
    });
    raw["agent-platform:image"] = stackRaw("dev")["agent-platform:image"];
    raw["agent-platform:environment"] = { value: "3", secret: false };
    assert.throws(() => parseStackConfig(raw, "dev"), (e: ConfigError) => {
      assert.deepEqual(e.problems, ["agent-platform:environment = 3: must be one of dev, staging, prod"]);
      return true;
    });
  });

  it("R-ENV-11: a stack that names an alert preset starts from it; one that is not a preset is refused by name", () => {
    assert.equal(parseStackConfig(stackRaw("dev", { alerting: { preset: "strict" } }), "dev").alerting.rules.errorRate.critical.priority, "P0");
    assert.deepEqual(problemsOf("dev", { alerting: { preset: "strictest" } }), ['agent-platform:alerting.preset = "strictest": must be one of strict, relaxed, informational']);
  });
});
