// The task every chaos suite runs: a custom text type whose output is a pure function of its
// input, so a wrong, stale or swapped output is visible by recomputing it.

/** The custom task type the chaos providers declare and the chaos app schedules. */
export const chaosTaskType = 'chaos:reverse';
/** One provider id for every chaos provider process: they are instances of one deployment. */
export const chaosProviderId = 'chaos:reverse';

/** The input text of the app's `n`-th task (unique per task, of varying length). */
export function chaosInput(n: number): string {
  return `chaos task ${n} ${'abcdefghijklmnopqrstuvwxyz'.slice(0, 1 + (n % 26))}`;
}

/** What the provider must return for `text`: the text reversed. */
export function chaosOutput(text: string): string {
  return [...text].reverse().join('');
}

/**
 * How long the provider works on `text`, 20-99 ms: derived from the input, so a task re-run
 * after a kill takes as long as the first time, and kills land in the middle of some tasks.
 */
export function chaosWorkMs(text: string): number {
  let sum = 0;
  for (const ch of text) sum += ch.charCodeAt(0);
  return 20 + (sum % 80);
}
