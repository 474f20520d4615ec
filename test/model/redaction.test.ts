// R-OBS-5: the collectors' redaction, run through RE2 (re2js, a port of RE2/J: the syntax
// and semantics of Go's regexp, which OTTL's replace_pattern uses) on planted values: every
// secret the requirement names is gone, the text around it stays, and ordinary log lines
// are left alone. The statements the collectors get are decoded back (the collector's `$$`
// escape, then OTTL's string escapes) to prove they carry exactly these patterns.
import { strict as assert } from "assert";
import { RE2JS } from "re2js";
import { REDACTIONS, redactionStatements } from "../../components/model/observability/redaction";

/** What the collector does to one string: each pattern in turn, as replace_pattern does. */
const redact = (text: string) => REDACTIONS.reduce((t, r) => RE2JS.compile(r.pattern).matcher(t).replaceAll(r.replacement, true), text);

const PLANTED: Array<[string, string, string]> = [
  // [what, line with the secret, the secret itself]
  ["a bearer token in a header dump", "request headers: Authorization: Bearer abcDEF123456.ghi-jkl_mno", "abcDEF123456.ghi-jkl_mno"],
  ["a basic credential in JSON", '{"msg":"upstream call","authorization":"Basic dXNlcjpwYXNzd29yZA=="}', "dXNlcjpwYXNzd29yZA=="],
  ["the JWT of a session", "session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudC00MiJ9.Zm9vYmFyYmF6cXV4 refreshed", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudC00MiJ9.Zm9vYmFyYmF6cXV4"],
  ["a connection URL", "connecting to postgres://agent_app:S3cr3t-Pa55@memory.c0.eu-west-1.rds.amazonaws.com:5432/memory?sslmode=verify-full", "S3cr3t-Pa55"],
  ["an API key in a query string", "GET /v1/models?api_key=abcd1234efgh5678&limit=5", "abcd1234efgh5678"],
  ["an x-api-key header in JSON", '{"x-api-key": "k-9f8e7d6c5b4a"}', "k-9f8e7d6c5b4a"],
  ["a model API key", "calling provider with sk-proj-AbCdEfGhIjKlMnOpQrSt", "sk-proj-AbCdEfGhIjKlMnOpQrSt"],
  ["a password field", '{"user":"ops","password":"hunter2hunter2"}', "hunter2hunter2"],
  ["an AWS access key id", "using AKIAIOSFODNN7EXAMPLE for uploads", "AKIAIOSFODNN7EXAMPLE"],
  ["a webhook token", "posting to https://hooks.example.com/notify?token=deadbeefcafebabe", "deadbeefcafebabe"],
];

describe("R-OBS-5: no secret reaches a log line or a span", () => {
  for (const [what, line, secret] of PLANTED) {
    it(`R-OBS-5: ${what} is redacted, the rest of the line kept`, () => {
      const out = redact(line);
      assert.ok(!out.includes(secret), `${out} still holds the secret`);
      assert.match(out, /\[REDACTED(_JWT|_KEY)?\]/);
      // The words around it survive: the line still says what happened.
      const firstWord = line.split(/[\s{"]+/).find((w) => w.length > 2 && !w.includes(secret))!;
      assert.ok(out.includes(firstWord), `${out} lost "${firstWord}"`);
    });
  }

  it("R-OBS-5: ordinary lines pass unchanged (a task id, a trace id, a URL without credentials, a token count)", () => {
    for (const line of [
      '{"level":"info","msg":"task finished","task_id":"t-8c1f","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}',
      "GET https://api.example.com/v1/agents?limit=20 200 35ms",
      "model answered with 1532 tokens in 2.1s",
      "postgres://memory.internal:5432/memory (no credentials)",
    ]) {
      assert.equal(redact(line), line);
    }
  });

  it("R-OBS-5: the collectors get exactly these patterns: $$ for the collector's own $ expansion, OTTL string escapes", () => {
    const { logs, spans } = redactionStatements();
    const unescape = (s: string) => JSON.parse(s) as string; // OTTL's string literals escape as JSON's do for \\ and \"
    const decoded = logs
      .filter((s) => s.startsWith("replace_pattern(body,"))
      .map((s) => {
        const m = /^replace_pattern\(body, ("(?:[^"\\]|\\.)*"), ("(?:[^"\\]|\\.)*")\)$/.exec(s.replace(/\$\$/g, "$"))!;
        return { pattern: unescape(m[1]), replacement: unescape(m[2]) };
      });
    assert.deepEqual(decoded, REDACTIONS.map(({ pattern, replacement }) => ({ pattern, replacement })));
    assert.ok(logs.every((s) => !/(^|[^$])\$(?!\$)/.test(s)), "every $ is doubled");
    // Spans: the attributes, and the credential headers dropped whole.
    assert.ok(spans.includes('delete_key(attributes, "http.request.header.authorization")'));
    assert.equal(spans.filter((s) => s.startsWith("replace_all_patterns(attributes,")).length, REDACTIONS.length);
  });
});
