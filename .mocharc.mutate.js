// Mocha under StrykerJS (npm run mutate): serial, the suites without servers by default.
// MUTATE_SPEC narrows it for a quick run on one module, e.g.
//   MUTATE_SPEC=test/unit/units.test.ts npx stryker run --mutate components/config/units.ts
module.exports = {
  require: ["ts-node/register"],
  extension: ["ts"],
  spec: process.env.MUTATE_SPEC
    ? process.env.MUTATE_SPEC.split(",")
    : ["test/unit/**/*.test.ts", "test/stacks/**/*.test.ts", "test/policy/**/*.test.ts"],
  timeout: 60000,
};
