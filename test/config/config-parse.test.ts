// R-ENV-11, R-WL-6: how the parser reads raw stack config (components/config/parse.ts) and
// finds its way in the schema (components/config/messages.ts), stated word for word: the
// messages for a dotted key, a secret in plain text, a plain setting set as a secret, a
// missing receiver secret, an unknown key; the type hints for quoted numbers and unquoted
// strings; and which problems are not repeated.
import { strict as assert } from "assert";
import { z } from "zod";
import { ConfigError, RawConfig, parseStackConfig } from "../../components/config";
import { allowedKeysAt, describeIssue, schemaAt, suggest, unwrapSchema } from "../../components/config/messages";
import { decode } from "../../components/config/parse";
import { at, problemsOf } from "../helpers/config";
import { stackRaw } from "../helpers/mocks";

const SECRET_LIST = "kubeconfig, databaseUrl, llmApiKey, pagerdutyRoutingKey, slackWebhookUrl, ticketWebhookUrl, watchdogUrl, smtpPassword, uptimeAlertUrl";

function problemsOfRaw(raw: RawConfig, stack = "dev"): string[] {
  try {
    parseStackConfig(raw, stack);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.problems;
  }
  return [];
}

/** The first zod issue of `value` against `schema`, worded. */
function worded(schema: z.ZodType, value: unknown): string {
  const r = schema.safeParse(value);
  assert.ok(!r.success, `${JSON.stringify(value)} was accepted`);
  return describeIssue(r.error.issues[0]);
}

describe("R-ENV-11: reading raw stack config, word for word", () => {
  it("R-ENV-11: a ConfigError is named ConfigError and joins its problems on one line", () => {
    const e = new ConfigError("dev", ["a", "b"]);
    assert.equal(e.name, "ConfigError");
    assert.equal(e.message, 'Invalid configuration for stack "dev": a; b');
  });

  it("R-ENV-11: a 'did you mean' clause only for a close name", () => {
    assert.equal(suggest("replcas", ["replicas", "image"]), ' (did you mean "replicas"?)');
    assert.equal(suggest("zzzzzzzz", ["replicas", "image"]), "");
  });

  it("R-ENV-11: JSON that does not parse is kept as the text written", () => {
    assert.equal(decode("[not json"), "[not json");
    assert.equal(decode("{a: 1"), "{a: 1");
    assert.equal(decode("-1.5"), -1.5);
  });

  it("R-ENV-11: the schema is found through optional, default, nullable, transform and preprocess wrappers, lists and maps", () => {
    const leaf = z.string();
    const root = z.object({
      opt: z.object({ a: leaf }).optional(),
      def: z.object({ b: leaf }).default({ b: "x" }),
      nul: z.object({ c: leaf }).nullable(),
      ro: z.object({ h: leaf }).readonly(),
      piped: z.object({ d: leaf }).transform((o) => o),
      pre: z.preprocess((v) => v, z.object({ e: leaf })),
      list: z.array(z.object({ f: leaf })),
      map: z.record(z.string(), z.object({ g: leaf })),
      text: leaf,
    });
    assert.equal(schemaAt(root, ["opt", "a"]), leaf);
    assert.equal(schemaAt(root, ["def", "b"]), leaf);
    assert.equal(schemaAt(root, ["nul", "c"]), leaf);
    assert.equal(schemaAt(root, ["ro", "h"]), leaf);
    assert.equal(schemaAt(root, ["piped", "d"]), leaf);
    assert.equal(schemaAt(root, ["pre", "e"]), leaf);
    assert.equal(schemaAt(root, ["list", 0, "f"]), leaf);
    assert.equal(schemaAt(root, ["map", "any", "g"]), leaf);
    assert.equal(schemaAt(root, ["text", "x"]), undefined, "a string has no keys");
    assert.equal(schemaAt(root, ["text", "x", "y"]), undefined);
    assert.equal(schemaAt(root, ["missing", "x"]), undefined, "a path that left the schema stays out");
    assert.deepEqual(allowedKeysAt(root, ["pre"]), ["e"]);
    assert.deepEqual(allowedKeysAt(root, ["piped"]), ["d"]);
    assert.deepEqual(allowedKeysAt(root, ["list"]), [], "a list takes no keys");
    assert.deepEqual(allowedKeysAt(root, ["missing"]), []);
    const transformed = z.string().transform((s) => s.length);
    assert.equal(unwrapSchema(transformed.optional()), unwrapSchema(transformed), "an optional transform unwraps to the transform's output");
    assert.notEqual(unwrapSchema(transformed), transformed);
  });

  it("R-ENV-11: zod's checks in words: object, list, whole number, sizes of lists and texts, bounds", () => {
    assert.equal(worded(z.object({}), 5), "must be an object");
    assert.equal(worded(z.array(z.string()), 5), "must be a list");
    assert.equal(worded(z.number(), "x"), "must be a number");
    assert.equal(worded(z.boolean(), "x"), "must be a boolean");
    assert.equal(worded(z.array(z.string()).max(1), ["a", "b"]), "must list at most 1 item(s)");
    assert.equal(worded(z.array(z.string()).min(2), ["a"]), "must list at least 2 item(s)");
    assert.equal(worded(z.string().max(3), "abcd"), "must have at most 3 character(s)");
    assert.equal(worded(z.string().min(2), "a"), "must have at least 2 character(s)");
    assert.equal(worded(z.number().max(5), 6), "must be ≤ 5");
    assert.equal(worded(z.number().lt(5), 5), "must be < 5");
    assert.equal(worded(z.number().min(5), 4), "must be ≥ 5");
    assert.equal(worded(z.number().gt(5), 5), "must be > 5");
  });

  it("R-ENV-11: a namespace within three edits of agent-platform is a typo; a provider's namespace is its owner's", () => {
    const raw = stackRaw("dev");
    raw["agent-platfrm:replicas"] = { value: "2", secret: false };
    raw["aws:region"] = { value: "eu-west-1", secret: false };
    raw["kubernetes:context"] = { value: "kind", secret: false };
    raw["agnt-pltfrm-x:replicas"] = { value: "2", secret: false };
    assert.deepEqual(problemsOfRaw(raw), [
      'agent-platfrm:replicas: "agent-platfrm" is not this project\'s namespace (did you mean "agent-platform:replicas"?); the program would ignore it',
    ]);
  });

  it("R-ENV-11, R-WL-6: a dotted key names the --path command; a secret-looking one is withheld and told when --secret applies", () => {
    const raw = stackRaw("dev");
    raw["agent-platform:delivery.strategy"] = { value: "canary", secret: false };
    raw["agent-platform:memoryStore.rds.apiKey"] = { value: "hunter2", secret: false };
    assert.deepEqual(problemsOfRaw(raw), [
      "agent-platform:delivery.strategy: a key with a dot is a literal name, not a path; set nested values with `pulumi config set --path 'delivery.strategy' <value>` and remove this one with `pulumi config rm 'delivery.strategy'`",
      "agent-platform:memoryStore.rds.apiKey (value withheld): a key with a dot is a literal name, not a path; set nested values with `pulumi config set --path 'memoryStore.rds.apiKey' <value>` (add --secret only for secret settings) and remove this one with `pulumi config rm 'memoryStore.rds.apiKey'`",
    ]);
  });

  it("R-ENV-11, R-WL-6: a secret in plain text, a plain setting set as a secret, a receiver URL that is not a URL: each its whole message", () => {
    const raw = stackRaw("dev");
    raw["agent-platform:llmApiKey"] = { value: "sk-12345", secret: false };
    raw["agent-platform:logLevel"] = { value: "debug", secret: true };
    raw["agent-platform:slackWebhookUrl"] = { value: "not a url", secret: true };
    assert.deepEqual(problemsOfRaw(raw), [
      "agent-platform:llmApiKey is set in plain text (8 characters, value withheld): it must be a secret; remove it and run `pulumi config set --secret llmApiKey <value>`",
      "agent-platform:slackWebhookUrl (value withheld): must be an https:// URL (Alertmanager posts alerts to it)",
      `agent-platform:logLevel (value withheld) is set as a secret, but logLevel is not a secret setting and would reach plain-text manifests; set it without --secret (\`pulumi config set logLevel <value>\`), or keep secret values in the secret settings (${SECRET_LIST})`,
    ]);
  });

  it("R-ENV-11: a required key refused as a secret is not reported again as unset; an unset one names its command", () => {
    const secretImage = stackRaw("dev");
    secretImage["agent-platform:image"] = { value: "ghcr.io/acme/agent-platform:1.4.2", secret: true };
    const problems = problemsOfRaw(secretImage);
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^agent-platform:image \(value withheld\) is set as a secret/);
    const noImage = stackRaw("dev");
    delete noImage["agent-platform:image"];
    assert.deepEqual(problemsOfRaw(noImage), ["agent-platform:image is required and not set: run `pulumi config set image <value>`"]);
    // Another key's problem does not hide the missing image.
    noImage["agent-platform:delivery.strategy"] = { value: "canary", secret: false };
    const both = problemsOfRaw(noImage);
    assert.equal(both.length, 2, both.join("\n"));
    assert.equal(both[1], "agent-platform:image is required and not set: run `pulumi config set image <value>`");
  });

  it("R-ENV-11: a missing receiver secret names why it is needed: paging only for PagerDuty", () => {
    const noSlack = stackRaw("prod");
    delete noSlack["agent-platform:slackWebhookUrl"];
    assert.deepEqual(problemsOfRaw(noSlack, "prod"), [
      "agent-platform:slackWebhookUrl is required and not set: the Alertmanager of this stack routes to it (monitoring.install = true); run `pulumi config set --secret slackWebhookUrl <value>`",
    ]);
    const noPager = stackRaw("prod");
    delete noPager["agent-platform:pagerdutyRoutingKey"];
    assert.deepEqual(problemsOfRaw(noPager, "prod"), [
      "agent-platform:pagerdutyRoutingKey is required and not set: the Alertmanager of this stack routes to it (monitoring.install = true, alerting.paging = true); run `pulumi config set --secret pagerdutyRoutingKey <value>`",
    ]);
  });

  it("R-ENV-11: an unknown key shows its value and every allowed key; a secret-looking one is withheld", () => {
    const problems = problemsOf("dev", at("probes.periodz", 5));
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^agent-platform:probes\.periodz = 5: not a known setting; allowed here: [a-zA-Z]+(, [a-zA-Z]+)+$/);
    assert.match(problems[0], /allowed here: .*livenessPeriod, /);
    assert.match(problemsOf("dev", at("probes.apiToken", "abc"))[0], /^agent-platform:probes\.apiToken = \(value withheld\): not a known setting/);
  });

  it("R-ENV-11: an unset value in a list names what to set it to", () => {
    assert.deepEqual(problemsOf("prod", at("delivery.canarySteps", [{ weight: 1 }, { weight: 5, duration: "20m" }])), [
      "agent-platform:delivery.canarySteps[0].duration is not set: it must be set to a duration such as 30s, 10m, 1h, 1h30m or 1d (units w, d, h, m, s, ms)",
      "agent-platform:delivery.canarySteps[0].maxErrorRate is not set: it must be set to a number",
      "agent-platform:delivery.canarySteps[0].latencyQuantile is not set: it must be one of p95, p99",
      "agent-platform:delivery.canarySteps[0].maxLatencyMs is not set: it must be set to a number",
      "agent-platform:delivery.canarySteps[1].maxErrorRate is not set: it must be set to a number",
      "agent-platform:delivery.canarySteps[1].latencyQuantile is not set: it must be one of p95, p99",
      "agent-platform:delivery.canarySteps[1].maxLatencyMs is not set: it must be set to a number",
    ]);
  });

  it("R-ENV-11: a number or boolean where zod's plain string is needed is told to quote it; an object is told the type", () => {
    assert.deepEqual(problemsOf("dev", at("monitoring.selectorLabels", { team: 5 })), [
      'agent-platform:monitoring.selectorLabels.team = 5: must be a string: quote it ("5")',
    ]);
    assert.deepEqual(problemsOf("dev", at("monitoring.selectorLabels", { team: true })), [
      'agent-platform:monitoring.selectorLabels.team = true: must be a string: quote it ("true")',
    ]);
    assert.deepEqual(problemsOf("dev", at("monitoring.selectorLabels", { team: [] })), ["agent-platform:monitoring.selectorLabels.team = []: must be a string"]);
  });

  it("R-ENV-11: only a quoted number where a number is needed is told to drop the quotes", () => {
    const say = (v: string) => problemsOf("dev", at("autoscaling.minReplicas", v));
    assert.deepEqual(say("10"), ['agent-platform:autoscaling.minReplicas = "10": must be a number, not the string "10": write it without quotes']);
    assert.deepEqual(say(" 3.25 "), ['agent-platform:autoscaling.minReplicas = " 3.25 ": must be a number, not the string " 3.25 ": write it without quotes']);
    assert.deepEqual(say("-3"), ['agent-platform:autoscaling.minReplicas = "-3": must be a number, not the string "-3": write it without quotes']);
    for (const v of ["x3", "3x", "3.x", "ten"]) assert.deepEqual(say(v), [`agent-platform:autoscaling.minReplicas = "${v}": must be a number`], v);
    // A quoted number where a boolean is needed is a boolean's problem.
    assert.deepEqual(problemsOf("dev", at("monitoring.install", "1")), ['agent-platform:monitoring.install = "1": must be a boolean']);
  });
});
