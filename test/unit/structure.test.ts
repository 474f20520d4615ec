// R-ENV-10, R-ENV-12: the configuration contract has one home. components/config imports
// nothing from components/model; components/model imports at most types from the config;
// the zod schema is the only definition of the config shape (the profile and StackConfig
// types are inferred from it); no threshold or `for` is written in the alert model.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../../components/config/stackFile";

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

/** `import ... from "x"` statements of a file: [statement, source]. */
function imports(file: string): Array<{ text: string; from: string }> {
  const src = fs.readFileSync(file, "utf8");
  return [...src.matchAll(/^import\s[\s\S]*?from\s+"([^"]+)";/gm)].map((m) => ({ text: m[0], from: m[1] }));
}

const CONFIG = path.join(ROOT, "components", "config");
const MODEL = path.join(ROOT, "components", "model");

describe("R-ENV-10, R-ENV-12: the configuration contract's structure", () => {
  it("R-ENV-10: components/config imports nothing from components/model", () => {
    for (const f of files(CONFIG)) {
      for (const i of imports(f)) {
        const target = path.resolve(path.dirname(f), i.from);
        assert.ok(!target.startsWith(MODEL), `${path.relative(ROOT, f)} imports ${i.from}`);
      }
    }
  });

  it("R-ENV-10: components/model imports only types from components/config (it never parses configuration)", () => {
    let typeImports = 0;
    for (const f of files(MODEL)) {
      for (const i of imports(f)) {
        const target = path.resolve(path.dirname(f), i.from);
        if (!target.startsWith(CONFIG)) continue;
        assert.match(i.text, /^import type /, `${path.relative(ROOT, f)}: ${i.text.split("\n")[0]} must be \`import type\``);
        typeImports++;
      }
    }
    assert.ok(typeImports > 5, "the model does take its types from the config");
  });

  it("R-ENV-10: the schema is the only definition of the config shape: the profile and StackConfig types are inferred from it", () => {
    const schema = fs.readFileSync(path.join(CONFIG, "schema.ts"), "utf8");
    assert.match(schema, /export type StackConfig = z\.output<typeof stackConfigSchema>;/);
    assert.match(schema, /export type Profile = Omit<StackConfigInput,/);
    const profiles = fs.readFileSync(path.join(CONFIG, "profiles.ts"), "utf8");
    assert.match(profiles, /PROFILES: Record<Environment, Profile>/);
    for (const f of files(path.join(ROOT, "components"))) {
      assert.ok(!/\binterface \w*(Profile|StackConfig)\b/.test(fs.readFileSync(f, "utf8")), `${path.relative(ROOT, f)} restates the config shape`);
    }
  });

  it("R-ENV-12: no alert threshold or `for` is a literal in the alert model: every comparison reads configuration", () => {
    for (const f of files(path.join(MODEL, "alerts"))) {
      const src = fs.readFileSync(f, "utf8");
      // threshold: <number> or for: "<duration>" written in a rule spec
      const literal = [...src.matchAll(/\b(threshold|for):\s*(-?\d[\d.]*|"\d+[smhd]")/g)].filter((m) => !(m[1] === "threshold" && (m[2] === "0" || m[2] === "1")));
      assert.deepEqual(literal.map((m) => m[0]), [], `${path.relative(ROOT, f)} writes a threshold or a for`);
    }
  });
});
