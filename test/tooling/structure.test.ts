// R-ENV-10, R-ENV-12: the configuration contract has one home. components/config imports
// nothing from components/model; components/model imports at most types from the config;
// the zod schema is the only definition of the config shape (the profile and StackConfig
// types are inferred from it); no threshold or `for` is written in the alert model.
// And the rooms of the code: one component per file in a folder per concern, each taking
// the slice of the configuration it reads; no file of components/ over 300 lines; the
// product never imports the tooling or the tests.
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
    const profiles = fs.readFileSync(path.join(CONFIG, "profiles", "index.ts"), "utf8");
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

const COMPONENTS = path.join(ROOT, "components");
const CONCERNS = ["cluster", "data", "delivery", "isolation", "monitoring", "observability", "pipeline", "platform"];
const rel = (f: string) => path.relative(ROOT, f);

describe("R-ENV-10: the rooms of the code", () => {
  it("R-ENV-10: no file in components/ (config, model, components) runs over 300 lines", () => {
    const long = files(COMPONENTS)
      .map((f) => [rel(f), fs.readFileSync(f, "utf8").split("\n").length - 1] as const)
      .filter(([, n]) => n > 300);
    assert.deepEqual(long, []);
  });

  it("R-ENV-10: every component lives in its concern's folder, one ComponentResource per file", () => {
    const declaring = files(COMPONENTS).filter((f) => /extends pulumi\.ComponentResource\b/.test(fs.readFileSync(f, "utf8")));
    assert.ok(declaring.length >= 10, declaring.map(rel).join(", "));
    for (const f of declaring) {
      const concern = path.relative(COMPONENTS, f).split(path.sep)[0];
      assert.ok(CONCERNS.includes(concern), `${rel(f)} declares a component outside components/{${CONCERNS.join(",")}}/`);
      const n = (fs.readFileSync(f, "utf8").match(/extends pulumi\.ComponentResource\b/g) ?? []).length;
      assert.equal(n, 1, `${rel(f)} declares ${n} components`);
    }
  });

  it("R-ENV-10: no component takes the whole StackConfig: each names the keys it reads (Pick<StackConfig, ...>)", () => {
    for (const concern of [...CONCERNS, "shared"]) {
      for (const f of files(path.join(COMPONENTS, concern))) {
        const src = fs.readFileSync(f, "utf8");
        const whole = [...src.matchAll(/\bStackConfig\b(?!\[)/g)].filter((m) => {
          const before = src.slice(Math.max(0, m.index! - 5), m.index);
          return !before.endsWith("Pick<") && !/import type \{[^}]*$/.test(src.slice(src.lastIndexOf("\n", m.index) + 1, m.index));
        });
        assert.deepEqual(whole.map((m) => src.slice(src.lastIndexOf("\n", m.index) + 1, src.indexOf("\n", m.index))), [], `${rel(f)} uses the whole StackConfig`);
      }
    }
  });

  it("R-ENV-10, R-ENV-12: each environment's profile states its differences over one base, and the alert presets live beside the profiles", () => {
    for (const env of ["dev", "staging", "prod"]) {
      const src = fs.readFileSync(path.join(CONFIG, "profiles", `${env}.ts`), "utf8");
      assert.match(src, /= profile\(\{/, `${env}.ts merges its differences over the base`);
      assert.match(src, new RegExp(`presetAlerting\\("(strict|relaxed|informational)"\\)`), `${env}.ts names its alert preset`);
    }
    const presets = fs.readFileSync(path.join(CONFIG, "profiles", "alerting.ts"), "utf8");
    for (const p of ["STRICT", "RELAXED", "INFORMATIONAL"]) assert.match(presets, new RegExp(`const ${p}: RulesIn = \\{`), `${p} is stated, not derived`);
    assert.doesNotMatch(presets, /derive\(/);
    assert.doesNotMatch(fs.readFileSync(path.join(CONFIG, "alerting.ts"), "utf8"), /PRESETS\s*[:=]\s*Record|const STRICT/);
  });

  it("R-ENV-10: the product (components, render, policy, index.ts, bootstrap) never imports the tooling or the tests", () => {
    const product = [...files(COMPONENTS), ...files(path.join(ROOT, "render")), ...files(path.join(ROOT, "policy")).filter((f) => !f.includes("node_modules")), path.join(ROOT, "index.ts"), ...files(path.join(ROOT, "bootstrap"))];
    for (const f of product) {
      for (const i of imports(f)) {
        if (!i.from.startsWith(".")) continue;
        const target = path.relative(ROOT, path.resolve(path.dirname(f), i.from));
        assert.ok(!/^(tools|test|scripts)\b/.test(target), `${rel(f)} imports ${i.from}`);
      }
    }
  });
});
