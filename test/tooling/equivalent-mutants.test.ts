// R-CI-1: the mutation score counts what the suite could notice. Equivalent mutants are
// listed in tools/mutation/equivalent-mutants.mjs, not as pragmas in product code; each
// entry must still match code (a stale one would hide a mutant of changed code), and it
// must ignore only the node it names.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");

interface Entry {
  file: string;
  type: string;
  reason: string;
}
interface Mutant {
  fileName: string;
  status?: string;
  statusReason?: string;
  mutatorName: string;
}

describe("R-CI-1: equivalent mutants live in the mutation tooling, not in product code", function () {
  this.timeout(120000);

  it("R-CI-1: no product file carries a StrykerJS pragma", () => {
    const walk = (d: string): string[] =>
      fs.readdirSync(path.join(root, d), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".ts") ? [path.join(d, e.name)] : [],
      );
    const pragmas = [...walk("components"), ...walk("policy").filter((f) => !f.includes("node_modules")), "index.ts"].filter((f) =>
      /Stryker (disable|restore)/.test(fs.readFileSync(path.join(root, f), "utf8")),
    );
    assert.deepEqual(pragmas, []);
  });

  it("R-CI-1: each listed equivalent mutant matches its node and ignores that node's mutants only", async () => {
    const mod = (await import(path.join(root, "tools/mutation/equivalent-mutants.mjs"))) as {
      EQUIVALENT_MUTANTS: Entry[];
      strykerPlugins: Array<{ value: { shouldIgnore(p: unknown): string | undefined } }>;
    };
    const files = [...new Set(mod.EQUIVALENT_MUTANTS.map((e) => e.file))];
    const { Instrumenter } = (await import("@stryker-mutator/instrumenter")) as unknown as {
      Instrumenter: new (log: unknown) => {
        instrument(files: { name: string; content: string; mutate: boolean }[], o: unknown): Promise<{ mutants: Mutant[] }>;
      };
    };
    const quiet = () => undefined;
    const log = { isDebugEnabled: () => false, isTraceEnabled: () => false, debug: quiet, trace: quiet, info: quiet, warn: quiet, error: quiet, fatal: quiet };
    const run = (ignorers: unknown[]) =>
      new Instrumenter(log).instrument(
        files.map((f) => ({ name: path.join(root, f), content: fs.readFileSync(path.join(root, f), "utf8"), mutate: true })),
        { plugins: null, excludedMutations: [], ignorers },
      );
    const plain = await run([]);
    const ignoredRun = await run([mod.strykerPlugins[0].value]);
    const ignored = ignoredRun.mutants.filter((m) => m.status === "Ignored");
    assert.equal(plain.mutants.filter((m) => m.status === "Ignored").length, 0, "nothing is ignored without the plugin");
    assert.equal(ignoredRun.mutants.length, plain.mutants.length, "the plugin removes no mutant, it marks them");
    for (const e of mod.EQUIVALENT_MUTANTS) {
      const hits = ignored.filter((m) => m.statusReason === `equivalent: ${e.reason}` && m.fileName.endsWith(e.file));
      assert.ok(hits.length >= 1, `${e.file}: no ${e.type} matches "${e.reason}"`);
    }
    // A handful per entry: the node's own mutants, never a function's worth.
    assert.ok(ignored.length <= 3 * mod.EQUIVALENT_MUTANTS.length, `${ignored.length} ignored for ${mod.EQUIVALENT_MUTANTS.length} entries`);
  });
});
