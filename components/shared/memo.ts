// Process-wide memos of pure, expensive answers: a year of cron runs, the parsed RDS CA
// bundle, the evidence a canary check needs, a simulated traffic level. Each answer
// depends on its arguments only, so it is computed once per process. `clearMemos()`
// empties them all for a process that must compute afresh: mutation testing runs many
// variants of the code in one process (test/helpers/mutate-hooks.ts), and an answer
// computed under one variant must not answer for another.
const memos = new Set<Map<string, unknown>>();

/** `fn` with its answers kept per `key(...args)`. */
export function memoize<A extends unknown[], R>(key: (...args: A) => string, fn: (...args: A) => R): (...args: A) => R {
  const answers = new Map<string, R>();
  memos.add(answers);
  return (...args: A): R => {
    const k = key(...args);
    if (answers.has(k)) return answers.get(k) as R;
    const answer = fn(...args);
    answers.set(k, answer);
    return answer;
  };
}

/** Forgets every memoized answer. */
export function clearMemos(): void {
  for (const answers of memos) answers.clear();
}
