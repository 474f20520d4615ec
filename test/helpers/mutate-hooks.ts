// Root hooks for mocha under StrykerJS (.mocharc.mutate.js): one process runs many mutants,
// so caches in the code under test start empty for each test, computed under the mutant
// that is active then. (The renders of test/helpers/mocks.ts track mutants themselves.)
import { forgetScheduleGaps } from "../../components/config/fields";
import { forgetRdsBundle } from "../../components/config/rdsCa";

export const mochaHooks = {
  beforeEach(): void {
    forgetScheduleGaps();
    forgetRdsBundle();
  },
};
