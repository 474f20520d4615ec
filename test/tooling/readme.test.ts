// R-ENV-10: the configuration reference in README.md is generated from the schema and
// the profiles; this fails when either changes without `npm run docs:config`.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { configReference } from "../../tools/docs/config-reference";
import { ROOT } from "../../components/config/stackFile";
import { listTests, testMapMarkdown } from "../../tools/docs/test-map";

describe("R-ENV-10: README configuration reference", () => {
  it("R-ENV-10: README.md carries the reference generated from the current schema and profiles", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    assert.ok(readme.includes(configReference()), "README.md is stale: run `npm run docs:config`");
  });
  it("R-ENV-10: the reference lists every profile default, e.g. prod's HPA bounds", () => {
    const ref = configReference();
    assert.match(ref, /\| `autoscaling.maxReplicas` \| integer \| `2` \| `4` \| `10` \|/);
    assert.match(ref, /\| `image` \*\*\(required\)\*\* \| image reference \|/);
    assert.match(ref, /\| `memoryStore\.mode` \| `rds` \\\| `inCluster` \\\| `external` \| `inCluster` \| `rds` \| `rds` \|/);
  });
});

describe("R-CI-1: docs/testing.md maps every requirement ID to its tests", () => {
  it("R-CI-1: the requirement → test table is generated from the current suite's titles", function () {
    this.timeout(120000); // mocha lists the suite in a child process
    const doc = fs.readFileSync(path.join(ROOT, "docs", "testing.md"), "utf8");
    const table = testMapMarkdown(listTests());
    assert.ok(doc.includes(table), "docs/testing.md is stale: run `npm run docs:tests`");
    // The table is the suite's, not a fixed text: these rows must be there.
    assert.match(table, /\| R-PD-6 \| \d+ \| [^\n]*`test\/promtool\/alerts\.test\.ts`: R-AL-21, R-AL-22, R-AL-23, [^\n]*R-PD-6[^\n]*: the http alerts/);
    assert.match(table, /\| R-DATA-5 \| \d+ \| [^\n]*`test\/data\/rehearsal\.test\.ts`/);
  });
});
