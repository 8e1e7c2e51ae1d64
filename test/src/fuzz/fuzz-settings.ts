// How much to fuzz and from where, read from the environment so a failure can be replayed:
// TASKPROC_FUZZ_SEED (a fixed default, so CI runs the same requests every time),
// TASKPROC_FUZZ_RUNS (requests per database), TASKPROC_FUZZ_PATH (fast-check's path of a
// counterexample, printed on failure, to go straight to it).

/** The default seed: fixed, so CI sends the same requests each run; set TASKPROC_FUZZ_SEED to explore. */
export const defaultFuzzSeed = 20_261_202;
/** Requests per database by default: enough for every route many times, quick on two cores. */
export const defaultFuzzRuns = 700;

export interface FuzzSettings {
  seed: number;
  runs: number;
  path?: string;
}

/** Reads the fuzz settings; a malformed value throws, naming the variable. */
export function readFuzzSettings(env: Record<string, string | undefined> = process.env): FuzzSettings {
  const int = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name}: expected an integer >= ${min}, got "${raw}"`);
    return value;
  };
  const path = env.TASKPROC_FUZZ_PATH || undefined;
  return {
    // fast-check seeds are 32-bit integers; negative ones are allowed.
    seed: int('TASKPROC_FUZZ_SEED', defaultFuzzSeed, -(2 ** 31)),
    runs: int('TASKPROC_FUZZ_RUNS', defaultFuzzRuns, 1),
    ...(path ? { path } : {}),
  };
}

/**
 * How to replay a failure. The seed alone replays it exactly: the requests depend on what the
 * earlier answers handed out (ids, leases), and a fresh database hands out the same ones, so the
 * same runs lead to the same request. The path jumps straight to the counterexample, but then
 * the earlier runs never happened and the request may name other ids.
 */
export function replayHint(settings: FuzzSettings, failedRun: number, path?: string): string {
  const command = 'npx vitest run test/test/fuzz.test.ts';
  const exact = `TASKPROC_FUZZ_SEED=${settings.seed} TASKPROC_FUZZ_RUNS=${failedRun} ${command}`;
  return path ? `${exact}\n  or straight to it: TASKPROC_FUZZ_SEED=${settings.seed} TASKPROC_FUZZ_PATH=${path} ${command}` : exact;
}
