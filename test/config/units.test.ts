// R-ENV-11: the unit parsers reject what Kubernetes and Prometheus would reject.
import { strict as assert } from "assert";
import { isGoDuration, parseByteSize, parseDuration, parseQuantity } from "../../components/config/units";
import { inspect } from "util";
import { formatCores, formatDuration, formatMebibytes } from "../../components/model/format";
import { SecretValue } from "../../components/config/secret";

describe("R-ENV-11: quantities and durations", () => {
  it("R-ENV-11: parses Kubernetes quantities to cores and bytes", () => {
    assert.equal(parseQuantity("500m"), 0.5);
    assert.equal(parseQuantity("2"), 2);
    assert.equal(parseQuantity("1.5Gi"), 1.5 * 2 ** 30);
    assert.equal(parseQuantity("512Mi"), 512 * 2 ** 20);
    assert.equal(parseQuantity("1G"), 1e9);
    // Stray spaces around a YAML value are forgiven (the schema keeps the trimmed text).
    assert.equal(parseQuantity(" 750m "), 0.75);
  });
  it("R-ENV-11: rejects malformed quantities", () => {
    for (const bad of ["2Gb", "1.5 Gi", "-1", "Gi", "", "1e", "10MiB", "1,5Gi"]) {
      assert.equal(parseQuantity(bad), undefined, bad);
    }
  });
  it("R-ENV-11: parses Go/Prometheus durations to seconds", () => {
    assert.equal(parseDuration("30s"), 30);
    assert.equal(parseDuration("10m"), 600);
    assert.equal(parseDuration("1h30m"), 5400);
    assert.equal(parseDuration("250ms"), 0.25);
    assert.equal(parseDuration("0"), 0);
    // Prometheus ranges also take days and weeks (R-AL windows such as 1d, 3d).
    assert.equal(parseDuration("1d"), 86400);
    assert.equal(parseDuration("1w2d"), 7 * 86400 + 2 * 86400);
    assert.equal(parseDuration(" 2m "), 120);
    assert.equal(parseDuration(" 0 "), 0);
  });
  it("R-ENV-11: rejects malformed durations", () => {
    for (const bad of ["30", "10 seconds", "1D", "m", "", "  ", "5m30", "-5s", "1.5h", "1h1d", "00"]) {
      assert.equal(parseDuration(bad), undefined, bad);
    }
  });
  it("R-ENV-11: Go durations (Argo, Kubernetes) have no days or weeks; Prometheus sizes are powers of 1024", () => {
    assert.equal(isGoDuration("1h30m"), true);
    assert.equal(isGoDuration("90s"), true);
    assert.equal(isGoDuration("1d"), false);
    assert.equal(isGoDuration("12d"), false);
    assert.equal(isGoDuration("2w"), false);
    assert.equal(parseByteSize("40GB"), 40 * 2 ** 30);
    assert.equal(parseByteSize("3KB"), 3072);
    assert.equal(parseByteSize(" 1MB "), 2 ** 20);
    for (const bad of ["40Gb", "40", "1.5GB", "GB", "40 GB", "40GiB"]) assert.equal(parseByteSize(bad), undefined, bad);
  });
  it("R-PD-4: formats seconds back to the canonical duration used in the rollback summary", () => {
    assert.equal(formatDuration(90), "1m30s");
    assert.equal(formatDuration(3600), "1h");
    assert.equal(formatDuration(0.5), "500ms");
    assert.equal(formatDuration(0), "0s");
    assert.equal(formatDuration(2 * 86400), "2d");
    assert.equal(formatDuration(86400 + 3600 + 60 + 1.5), "1d1h1m1s500ms");
  });
  it("R-WL-7: quota arithmetic writes whole MiB and millicores, rounded up", () => {
    assert.equal(formatMebibytes(1.5 * 2 ** 30), "1536Mi");
    assert.equal(formatMebibytes(2 ** 20 + 1), "2Mi");
    assert.equal(formatCores(2), "2");
    assert.equal(formatCores(0.75), "750m");
    assert.equal(formatCores(2.0005), "2001m");
  });
  it("R-WL-6: a secret value never prints itself, however it is turned into text", () => {
    const v = new SecretValue("hunter2-unit");
    assert.equal(String(v), "[secret]");
    assert.equal(`${v}`, "[secret]");
    assert.equal(JSON.stringify({ key: v }), '{"key":"[secret]"}');
    assert.equal(inspect({ key: v }), "{ key: [secret] }");
    assert.equal(v.reveal(), "hunter2-unit");
  });
});
