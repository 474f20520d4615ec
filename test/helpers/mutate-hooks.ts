// Root hooks for mocha under StrykerJS (.mocharc.mutate.js): one process runs many mutants,
// so the memoized answers of the code under test start empty for each test, computed under
// the mutant that is active then. (The renders of test/helpers/mocks.ts track mutants themselves.)
import { clearMemos } from "../../components/shared/memo";

export const mochaHooks = {
  beforeEach(): void {
    clearMemos();
  },
};
