// Mocha under StrykerJS (npm run mutate): serial; the suites that run in-process or with
// promtool, not the ones that start servers (e2e, data rehearsal).
// MUTATE_SPEC narrows it for a quick run on one module, e.g.
//   MUTATE_SPEC=test/unit/units.test.ts npx stryker run --mutate components/config/units.ts
module.exports = {
  require: ["ts-node/register", "test/helpers/mutate-hooks.ts"],
  extension: ["ts"],
  spec: process.env.MUTATE_SPEC
    ? process.env.MUTATE_SPEC.split(",")
    : ["test/unit/**/*.test.ts", "test/stacks/**/*.test.ts", "test/policy/**/*.test.ts", "test/promtool/**/*.test.ts"],
  // It instruments the mutated files itself, which in Stryker's sandbox hold Stryker's
  // instrumented code, and tests none of the mutated code.
  ignore: ["test/unit/mutation-score.test.ts"],
  timeout: 60000,
};
