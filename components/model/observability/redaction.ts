// R-OBS-5: no secret reaches a log line or a span. The collectors rewrite, before
// anything leaves them, every match of these patterns in log bodies, log attributes and
// span attributes, with OTTL's replace_pattern / replace_all_patterns (transform
// processor). The patterns are RE2 (Go's regexp), the replacement expands named groups as
// Go's Regexp.Expand does (`${name}`); test/model/redaction.test.ts runs them through a
// port of RE2 on planted values.

export interface Redaction {
  name: string;
  /** RE2 syntax; named groups only, so `${name}` means the same to every RE2 engine. */
  pattern: string;
  replacement: string;
}

export const REDACTIONS: Redaction[] = [
  // Authorization: Bearer <token>, authorization=Basic <b64>, "authorization":"..."
  {
    name: "authorization header",
    pattern: `(?i)(?P<key>authorization["']?\\s*[:=]\\s*["']?(?:bearer|basic|token)?\\s*)[A-Za-z0-9._~+/=-]{6,}`,
    replacement: "${key}[REDACTED]",
  },
  // A JSON Web Token anywhere (the platform's JWT signing key never is one, its tokens are).
  { name: "JWT", pattern: `eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}`, replacement: "[REDACTED_JWT]" },
  // scheme://user:password@host: the password only.
  { name: "connection URL password", pattern: `(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/\\s@"']+:)[^@/\\s"']+@`, replacement: "${head}[REDACTED]@" },
  // api_key=…, "x-api-key": "…", token: …, password=…, secret: … (JSON, query strings, headers).
  {
    name: "key, token, password or secret value",
    pattern: `(?i)(?P<key>(?:x-api-key|api[_-]?key|access[_-]?token|refresh[_-]?token|token|password|passwd|secret)["']?\\s*[:=]\\s*["']?)[^"'\\s,&;}]{4,}`,
    replacement: "${key}[REDACTED]",
  },
  // Hosted model API keys (sk-…) and AWS access key ids, wherever they stand.
  { name: "model API key", pattern: `\\bsk-[A-Za-z0-9_-]{16,}`, replacement: "[REDACTED_KEY]" },
  { name: "AWS access key id", pattern: `\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b`, replacement: "[REDACTED_KEY]" },
];

/** Span and log attributes dropped whole: the headers that carry credentials. */
export const DROPPED_ATTRIBUTES = ["http.request.header.authorization", "http.request.header.cookie", "http.request.header.x-api-key", "db.connection_string"];

/** OTTL string literal: backslashes and quotes escaped. */
const ottl = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
/** The collector expands `${…}` and `$…` in its configuration (confmap); `$$` is a literal `$`. */
const confmap = (s: string) => s.replace(/\$/g, "$$$$");

/** The transform processor's statements for logs and for spans. */
export function redactionStatements(): { logs: string[]; spans: string[] } {
  const body = REDACTIONS.map((r) => confmap(`replace_pattern(body, ${ottl(r.pattern)}, ${ottl(r.replacement)})`));
  const attrs = REDACTIONS.map((r) => confmap(`replace_all_patterns(attributes, "value", ${ottl(r.pattern)}, ${ottl(r.replacement)})`));
  const drop = DROPPED_ATTRIBUTES.map((k) => `delete_key(attributes, ${ottl(k)})`);
  return { logs: [...drop, ...body, ...attrs], spans: [...drop, ...attrs] };
}
