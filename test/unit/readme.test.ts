// R-ENV-10: the configuration reference in README.md is generated from the schema and
// the profiles; this fails when either changes without `npm run docs:config`.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { configReference } from "../../render/configReference";
import { ROOT } from "../../components/config/stackFile";

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
