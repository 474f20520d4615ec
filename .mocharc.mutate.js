// Mocha under StrykerJS (npm run mutate): serial; the suites that run in-process or with
// promtool, not the ones that start servers (e2e, data rehearsal).
// MUTATE_SPEC narrows it for a quick run on one module, e.g.
//   MUTATE_SPEC=test/config/units.test.ts npx stryker run --mutate components/config/units.ts
// Its entries run in the order given, each file once: a chunk names the suite that states
// its output first (e.g. test/stacks/monitoring.test.ts,test/stacks/**/*.test.ts), so that a
// mutant it detects fails there (Stryker's mocha runner bails on the first failure) instead
// of after every stack suite that sorts before it.
const fs = require("fs");
const path = require("path");

// A `dir/**/*.ext` entry as its files, sorted; any other entry as it is.
function expand(entry) {
  const m = /^(.*)\/\*\*\/\*(\.[^/*]+)$/.exec(entry);
  if (!m) return [entry];
  const walk = (dir) =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : d.name.endsWith(m[2]) ? [path.join(dir, d.name)] : []));
  return walk(m[1]);
}

module.exports = {
  require: ["ts-node/register", "test/helpers/mutate-hooks.ts"],
  extension: ["ts"],
  spec: process.env.MUTATE_SPEC
    ? [...new Set(process.env.MUTATE_SPEC.split(",").flatMap(expand))]
    : ["test/config/**/*.test.ts", "test/model/**/*.test.ts", "test/stacks/**/*.test.ts", "test/policy/**/*.test.ts", "test/promtool/**/*.test.ts", "test/tooling/**/*.test.ts"],
  // These read the mutated files themselves (instrumenting them, or counting their lines),
  // which in Stryker's sandbox hold Stryker's instrumented code, and test none of the
  // mutated code's behaviour.
  // test/policy/pack-process.slow.test.ts runs the pack in a process of its own, which sees no mutant;
  // corpus-direct.test.ts runs the same corpus here.
  ignore: ["test/tooling/mutation-score.test.ts", "test/tooling/equivalent-mutants.test.ts", "test/tooling/structure.test.ts", "test/policy/pack-process.slow.test.ts"],
  timeout: 60000,
};
