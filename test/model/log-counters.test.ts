// R-OBS-2: what the log-based alerts count. The agent's count connector matches each
// record's body with OTTL's IsMatch, which compiles the pattern with Go's regexp (RE2);
// re2js (a port of RE2/J, the same syntax and semantics) runs the patterns the collector
// gets, decoded from the condition as OTTL reads its string literal, on the lines the
// platform's stack prints: node-postgres and Node's net errors, the API's auth refusals,
// and an unhandled rejection. Ordinary lines must count nowhere.
import { strict as assert } from "assert";
import { RE2JS } from "re2js";
import { logCounters } from "../../components/model/observability/collector";

const cfg = { namespace: "agent-platform-prod" } as Parameters<typeof logCounters>[0];

/** The IsMatch patterns of a counter, as the collector compiles them. */
function patterns(counter: string): RE2JS[] {
  const c = logCounters(cfg)[counter];
  assert.ok(c, `no counter ${counter}`);
  return [...c.conditions[0].matchAll(/IsMatch\(body, ("(?:[^"\\]|\\.)*")\)/g)].map((m) => RE2JS.compile(JSON.parse(m[1]) as string));
}
const counts = (counter: string, line: string) => patterns(counter).some((p) => p.matcher(line).find());

const ORDINARY = [
  '{"level":30,"msg":"task finished","task_id":"t-8c1f","duration_ms":812}',
  '{"level":30,"msg":"login ok","user":"ops@example.com"}',
  '{"level":30,"msg":"memory store connected","pool":{"total":10,"idle":9}}',
  "GET /v1/agents 200 35ms",
  '{"level":40,"msg":"slow model answer","seconds":4.2}',
];

describe("R-OBS-2: the log patterns the alerts count, run through RE2", () => {
  it("R-OBS-2: database connection errors: refused, timed out, dropped, too many clients, bad credentials (node-postgres and Node's own wording)", () => {
    for (const line of [
      '{"level":50,"msg":"connect ECONNREFUSED 10.0.3.17:5432"}',
      "Error: connect ETIMEDOUT 10.0.3.17:5432",
      '{"level":50,"err":{"message":"Connection terminated unexpectedly"}}',
      "Error: Connection terminated due to connection timeout",
      'error: sorry, too many clients already',
      'error: password authentication failed for user "agent_app"',
      "could not connect to server: No route to host",
    ]) {
      assert.ok(counts("agent_platform.log.db_connection_errors", line), line);
    }
    for (const line of ORDINARY) assert.ok(!counts("agent_platform.log.db_connection_errors", line), line);
  });

  it("R-OBS-2: authentication failures: refused logins, API keys, tokens; the words in any case", () => {
    for (const line of [
      '{"level":40,"msg":"authentication failed","user":"ops@example.com"}',
      '{"level":40,"msg":"Invalid API key","key_id":"k-12"}',
      "invalid token: signature mismatch",
      '{"level":40,"msg":"jwt expired"}',
      "JWT malformed",
      "401 Unauthorized POST /v1/tasks",
    ]) {
      assert.ok(counts("agent_platform.log.auth_failures", line), line);
    }
    for (const line of [...ORDINARY, "token count 1532", "jwt issued for agent-42"]) assert.ok(!counts("agent_platform.log.auth_failures", line), line);
  });

  it("R-OBS-2: unhandled errors count as fatal whatever their level: an uncaught exception, an unhandled rejection", () => {
    for (const line of [
      "process.on uncaughtException: TypeError: Cannot read properties of undefined",
      '{"level":50,"msg":"unhandledRejection","reason":"Error: boom"}',
      "[UnhandledPromiseRejection: This error originated either by throwing inside of an async function]",
    ]) {
      assert.ok(counts("agent_platform.log.fatal", line), line);
    }
    for (const line of ORDINARY) assert.ok(!counts("agent_platform.log.fatal", line), line);
  });
});
