// R-ENV-11: the field schemas configuration is built from (components/config/fields.ts),
// called directly: what each one says about a value it refuses, word for word, and where
// its edges lie. The stack-level tests (config-formats, cross-field) show the same
// messages reach the operator with the key in front; these pin the wording and the
// branches the stacks' values do not reach (durations with hours, minutes and seconds as
// bounds, URLs without a port, image references the grammar refuses).
import { strict as assert } from "assert";
import type { ZodType } from "zod";
import { byteSize, cidr, cidrContains, duration, httpUrl, text } from "../../components/config/fields";
import { image, parseImage } from "../../components/config/images";
import { cronSchedule, scheduleMaxGap, walkMaxGap } from "../../components/config/schedule";
import { BYTE_SIZE_HELP, DURATION_HELP } from "../../components/config/units";

/** The messages a schema gives for `value`; [] when it is accepted. */
function said(schema: ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe("R-ENV-11: the field schemas' own wording and edges", () => {
  it("R-ENV-11: a number or a boolean where text is needed is told to quote it; anything else is told the form", () => {
    const t = text("a DNS label");
    assert.deepEqual(said(t, 5), ['must be a DNS label written as a string: quote it ("5")']);
    assert.deepEqual(said(t, true), ['must be a DNS label written as a string: quote it ("true")']);
    assert.deepEqual(said(t, null), ["must be a DNS label"]);
    assert.deepEqual(said(t, { a: 1 }), ["must be a DNS label"]);
    assert.deepEqual(said(t, "x"), []);
  });

  it("R-ENV-11: a duration given as a number gets the seconds hint; another non-text value gets the form", () => {
    const d = duration("A window.");
    assert.deepEqual(said(d, 10), ['must be a duration with a unit: did you mean "10s"?']);
    assert.deepEqual(said(d, true), [`must be ${DURATION_HELP}`]);
    assert.equal(DURATION_HELP, "a duration such as 30s, 10m, 1h, 1h30m or 1d (units w, d, h, m, s, ms)");
  });

  it("R-ENV-11: a duration of digits only (after trimming) gets the hint; digits with anything else do not", () => {
    const d = duration("A window.");
    const form = `must be ${DURATION_HELP}`;
    assert.deepEqual(said(d, "10"), [`${form}: did you mean "10s"?`]);
    assert.deepEqual(said(d, "7"), [`${form}: did you mean "7s"?`]);
    assert.deepEqual(said(d, " 10 "), [`${form}: did you mean "10s"?`], "trimmed before the test and in the hint");
    assert.deepEqual(said(d, "x10"), [form]);
    assert.deepEqual(said(d, "10x"), [form]);
    assert.deepEqual(said(d, "abc"), [form]);
  });

  it("R-ENV-11: a bound is written in the largest whole unit: 2h, 90m, 1m, 90s, 0s", () => {
    const least = (min: number, value: string) => said(duration("A window.", { min }), value);
    assert.deepEqual(least(7200, "1h"), ["must be at least 2h"]);
    assert.deepEqual(least(3600, "59m"), ["must be at least 1h"]);
    assert.deepEqual(least(5400, "1h"), ["must be at least 90m"], "1.5 h is not a whole number of hours");
    assert.deepEqual(least(60, "59s"), ["must be at least 1m"]);
    assert.deepEqual(least(90, "1m"), ["must be at least 90s"], "1.5 min is not a whole number of minutes");
    assert.deepEqual(least(30, "29s"), ["must be at least 30s"]);
    assert.deepEqual(said(duration("A delay.", { max: 0 }), "1s"), ["must be at most 0s"], "zero is seconds, not 0h or 0m");
    assert.deepEqual(said(duration("A delay.", { max: 120, consumer: "the chart's limit" }), "121s"), ["must be at most 2m (the chart's limit)"]);
    assert.deepEqual(least(7200, "2h"), [], "the bound itself is allowed");
  });

  it("R-ENV-11: a Go reader's duration names the units it takes, and who reads it", () => {
    assert.deepEqual(said(duration("A pause.", { go: true }), "1d"), ["must use the units h, m, s or ms (Argo Rollouts reads Go durations)"]);
    assert.deepEqual(said(duration("A pause.", { go: true, consumer: "Kubernetes reads Go durations" }), "1w"), [
      "must use the units h, m, s or ms (Kubernetes reads Go durations)",
    ]);
    assert.deepEqual(said(duration("A pause.", { go: true }), "24h"), []);
  });

  it("R-ENV-11: a byte size that does not parse names the form", () => {
    assert.deepEqual(said(byteSize("Retention size."), "40GiB"), [`must be ${BYTE_SIZE_HELP}`]);
    assert.equal(BYTE_SIZE_HELP, "a Prometheus size such as 40GB (units B, KB, MB, GB, TB, PB; powers of 1024)");
    assert.deepEqual(said(byteSize("Retention size."), "40GB"), []);
  });

  it("R-ENV-11: CIDRs: a bad prefix, a legacy IPv4 form and host bits (IPv4 and IPv6) each have their message; any IPv6 spelling of a network is one", () => {
    assert.deepEqual(said(cidr, "10.0.0.0/33"), ["must be a CIDR such as 10.0.0.0/8 (valid address octets, a prefix length within the address size)"]);
    assert.deepEqual(said(cidr, "010.0.0.0/8"), ["must be a CIDR in dotted-quad form such as 10.0.0.0/8"]);
    assert.deepEqual(said(cidr, "10.1/16"), ["must be a CIDR in dotted-quad form such as 10.0.0.0/8"]);
    // ipaddr.js reads a leading zero as octal (010 = 8) and would suggest 8.0.0.0/8.
    assert.deepEqual(said(cidr, "10.0.0.00/8"), ["must be a CIDR in dotted-quad form such as 10.0.0.0/8"]);
    assert.deepEqual(said(cidr, "10.0.0.0/08"), ["must be a CIDR in dotted-quad form such as 10.0.0.0/8"]);
    assert.deepEqual(said(cidr, "100.64.0.0/10"), []);
    assert.deepEqual(said(cidr, "0.0.0.0/0"), []);
    assert.deepEqual(said(cidr, "192.168.100.0/24"), []);
    assert.deepEqual(said(cidr, "10.0.0.1/8"), ['has host bits set: did you mean "10.0.0.0/8"?']);
    assert.deepEqual(said(cidr, "10.0.0.0/8"), []);
    // ipaddr.js writes IPv6 in lower case and compressed; an upper-case network address
    // is the same network, and the Kubernetes API takes it.
    assert.deepEqual(said(cidr, "2001:DB8::/32"), []);
    assert.deepEqual(said(cidr, "2001:0db8::/32"), []);
    assert.deepEqual(said(cidr, "2001:db8:0:0:0:0:0:0/32"), []);
    // The bit just past the prefix set (db9 is odd), and one host bit at the very end.
    assert.deepEqual(said(cidr, "2001:db9::/31"), ['has host bits set: did you mean "2001:db8::/31"?']);
    assert.deepEqual(said(cidr, "2001:db9::/32"), []);
    assert.deepEqual(said(cidr, "fd00::1/64"), ['has host bits set: did you mean "fd00::/64"?']);
    assert.deepEqual(said(cidr, "FD00::1/128"), []);
  });

  it("R-ENV-11: one CIDR contains another of the same family with an equal or longer prefix", () => {
    assert.equal(cidrContains("10.0.0.0/8", "10.1.0.0/16"), true);
    assert.equal(cidrContains("10.0.0.0/8", "10.0.0.0/8"), true);
    assert.equal(cidrContains("10.0.0.0/16", "10.0.0.0/8"), false, "a wider range is not inside a narrower one");
    assert.equal(cidrContains("10.0.0.0/8", "11.0.0.0/16"), false);
    assert.equal(cidrContains("0.0.0.0/0", "::/0"), false, "IPv6 is not inside IPv4");
  });

  it("R-ENV-11: an https URL: the scheme is named, without its colon, when it is not https", () => {
    const u = httpUrl("A receiver.", { https: true });
    assert.deepEqual(said(u, "http://hooks.example.com/x"), ['must be an https URL such as https://host/path; got the scheme "http"']);
    assert.deepEqual(said(u, "hooks.example.com/x"), ["must be an absolute https URL such as https://host/path (the scheme is required)"]);
    assert.deepEqual(said(u, "https://hooks.example.com/x"), []);
    assert.equal(u.meta()?.type, "https URL");
    const any = httpUrl("An endpoint.");
    assert.deepEqual(said(any, "ftp://example.com/x"), ['must be an http(s) URL such as http(s)://host/path; got the scheme "ftp"']);
    assert.deepEqual(said(any, "http://example.com/x"), []);
    assert.deepEqual(said(any, "https://example.com/x"), []);
    assert.equal(any.meta()?.type, "URL");
  });

  it("R-ENV-11: a URL that must name its port: in the authority, even the scheme's default; a port-like path does not count", () => {
    const u = httpUrl("Prometheus.", { requirePort: true });
    const noPort = ["must name a port explicitly, such as http(s)://host:port"];
    assert.deepEqual(said(u, "http://prometheus:9090"), []);
    assert.deepEqual(said(u, "http://prometheus:9090/"), []);
    assert.deepEqual(said(u, "http://prometheus:80"), [], "the default port written out names a port");
    assert.deepEqual(said(u, "https://prometheus:443?x=1"), []);
    assert.deepEqual(said(u, "http://[::1]:9090"), []);
    assert.deepEqual(said(u, "http://prometheus"), noPort);
    assert.deepEqual(said(u, "http://prometheus/"), noPort);
    assert.deepEqual(said(u, "http://prometheus/api:9090"), noPort);
    assert.deepEqual(said(u, "http://prometheus#:9090"), noPort);
    assert.deepEqual(said(u, "http://[::1]"), noPort);
    assert.deepEqual(said(u, "http:prometheus:9090"), ['must be an http(s) URL such as http(s)://host:port; got the scheme "http"'], "no // after the scheme");
  });

  it("R-ENV-11: an image reference the grammar refuses gives the grammar's reason without its prefix, or none", () => {
    const form = "must be an image reference such as registry/agent-platform:1.4.2 or …@sha256:<64 hex digits>";
    assert.deepEqual(said(image, "Registry/Agent:1.0"), [`${form} (repository name must be lowercase)`]);
    assert.deepEqual(said(image, "agent:"), [form], "a reason of only the prefix adds nothing");
    const hex = "a".repeat(64);
    assert.deepEqual(said(image, hex), [`${form} (invalid repository name (${hex}),cannot specify 64-byte hexadecimal strings)`]);
    assert.deepEqual(said(image, "agent"), ["must name a tag or a digest (an untagged image means :latest)"]);
    assert.deepEqual(said(image, "agent:latest"), ["must not use the mutable tag 'latest'"]);
    assert.deepEqual(said(image, "agent:1.0"), []);
    assert.deepEqual(parseImage("agent:1.0"), { domain: "docker.io", repository: "library/agent", tag: "1.0", digest: undefined });
  });

  it("R-ENV-11: each unit type names itself for the configuration reference and, given a number, the form to quote", () => {
    assert.equal(duration("A window.").meta()?.type, "duration");
    assert.equal(byteSize("A size.").meta()?.type, "size");
    assert.equal(cronSchedule("A schedule.").meta()?.type, "cron schedule");
    assert.deepEqual(said(cronSchedule("A schedule."), 5), ['must be a cron schedule such as "15 2 * * *" written as a string: quote it ("5")']);
    assert.deepEqual(said(httpUrl("An endpoint."), 5), ['must be an http(s) URL such as http(s)://host/path written as a string: quote it ("5")']);
    assert.deepEqual(said(httpUrl("Prometheus.", { https: true, requirePort: true }), 5), ['must be an https URL such as https://host:port written as a string: quote it ("5")']);
  });

  it("R-DATA-2, R-DATA-3: a schedule's longest gap, day by day, is what cron-parser's iterator finds run by run", () => {
    const cases: Array<[string, number]> = [
      ["15 2 * * *", 86400],
      ["0 */6 * * *", 21600],
      ["0 3 * * 1-5", 3 * 86400], // Friday to Monday
      ["0 0 1 * *", 31 * 86400],
      ["0 0 1,15 * 1", 7 * 86400], // both day fields restricted: either matches
      ["30 1 */2 * *", 2 * 86400], // the 31st, then the 1st
      ["0 12 * * 7", 7 * 86400], // 7 is Sunday
      ["0 0 31 * *", 61 * 86400], // 31 March to 31 May, the longest of the 31sts
      ["0 0 29 2 *", 1461 * 86400], // 29 February 2028 to 2032
      ["5 4 L * *", 31 * 86400], // the last day: cron-parser's own walk
      ["0 0 * * 5#2", 35 * 86400], // the second Friday: cron-parser's own walk
    ];
    for (const [expr, seconds] of cases) {
      assert.equal(scheduleMaxGap(expr), seconds, expr);
      assert.equal(walkMaxGap(expr), seconds, `${expr} (iterator)`);
    }
  });

  it("R-ENV-11: a cron schedule cron-parser refuses names cron-parser's reason", () => {
    assert.deepEqual(said(cronSchedule("Exports."), "61 2 * * *"), ["must be a valid cron schedule: Constraint error, got value 61 expected range 0-59"]);
    assert.deepEqual(said(cronSchedule("Exports."), "15 2 * * *"), []);
  });
});
