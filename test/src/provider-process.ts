import { spawnTsProcess, type SpawnedProcess } from './spawn-process.ts';

/** A JSON log line of a test provider: SDK logs (`msg`) and the script's own `event` lines. */
export interface ProviderLogLine {
  msg?: string;
  event?: string;
  taskId?: number;
  [field: string]: unknown;
}

export interface TestProviderOptions {
  url: string;
  /** A provider token. */
  token: string;
  providerId: string;
  /** A built-in type (`core:...`) or a custom one the provider declares. */
  taskType: string;
  /** echo (default): output = input upper-cased. gated: waits on `gateUrl/<taskId>`. files: reverses the Image input into a File output. */
  behaviour?: 'echo' | 'gated' | 'files';
  gateUrl?: string;
  concurrency?: number;
  waitMs?: number;
  leaseMs?: number;
  heartbeatIntervalMs?: number;
  graceMs?: number;
}

export interface TestProvider {
  process: SpawnedProcess;
  /** Every log line so far. */
  lines(): ProviderLogLine[];
  /** Resolves with the first line (past or future) matching; rejects on timeout or exit. */
  waitFor(match: (line: ProviderLogLine) => boolean, timeoutMs?: number): Promise<ProviderLogLine>;
  /** Resolves when `count` lines match. */
  waitForCount(match: (line: ProviderLogLine) => boolean, count: number, timeoutMs?: number): Promise<ProviderLogLine[]>;
  /** Task ids this process reported a result for (successful or failed). */
  reportedTaskIds(): number[];
  /** Calls `listener` after each batch of new lines; returns the unsubscribe function. */
  onLines(listener: () => void): () => void;
}

/** Lines whose `event` is `name` (for `taskId`, when given). */
export const event =
  (name: string, taskId?: number) =>
  (line: ProviderLogLine): boolean =>
    line.event === name && (taskId === undefined || line.taskId === taskId);

/** The SDK's line for a result it reported. */
export const reported =
  (taskId?: number) =>
  (line: ProviderLogLine): boolean =>
    line.msg === 'task reported' && (taskId === undefined || line.taskId === taskId);

/**
 * Starts test/src/providers/scripted-provider.ts as a real process running the real SDK, and
 * follows its JSON log lines (stderr) so tests can wait on what it did instead of on timers.
 */
export function startTestProvider(options: TestProviderOptions): TestProvider {
  const env: Record<string, string> = {
    TASKPROC_URL: options.url,
    TASKPROC_TOKEN: options.token,
    TEST_PROVIDER_ID: options.providerId,
    TEST_TASK_TYPE: options.taskType,
    TEST_BEHAVIOUR: options.behaviour ?? 'echo',
  };
  const numbers = {
    TEST_CONCURRENCY: options.concurrency,
    TEST_WAIT_MS: options.waitMs,
    TEST_LEASE_MS: options.leaseMs,
    TEST_HEARTBEAT_MS: options.heartbeatIntervalMs,
    TEST_GRACE_MS: options.graceMs,
  };
  for (const [key, value] of Object.entries(numbers)) if (value !== undefined) env[key] = String(value);
  if (options.gateUrl) env.TEST_GATE_URL = options.gateUrl;
  return followProvider(spawnTsProcess('test/src/providers/scripted-provider.ts', env), options.providerId);
}

/**
 * Follows the JSON log lines (pino, on stderr) of any provider process built on the SDK, such as
 * the example provider, so tests can wait on what it logged.
 */
export function followProvider(proc: SpawnedProcess, label: string): TestProvider {
  const lines: ProviderLogLine[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  proc.child.stderr!.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) {
      if (!part.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(part) as ProviderLogLine);
      } catch {
        continue;
      }
    }
    for (const check of [...waiters]) check();
  });

  const waitForCount = (match: (line: ProviderLogLine) => boolean, count: number, timeoutMs = 30_000) =>
    new Promise<ProviderLogLine[]>((resolve, reject) => {
      const check = () => {
        const found = lines.filter(match);
        if (found.length < count) return;
        done();
        resolve(found);
      };
      const fail = (why: string) => {
        done();
        reject(new Error(`${label}: ${why} while waiting for ${count} matching line(s); output:\n${proc.output().slice(-4_000)}`));
      };
      const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
      const onExit = () => setImmediate(() => (waiters.has(check) ? fail('the process exited') : undefined));
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
        proc.child.off('exit', onExit);
      };
      waiters.add(check);
      proc.child.once('exit', onExit);
      check();
    });

  return {
    process: proc,
    lines: () => lines,
    waitFor: async (match, timeoutMs) => (await waitForCount(match, 1, timeoutMs))[0]!,
    waitForCount,
    reportedTaskIds: () => lines.filter(reported()).map((line) => line.taskId!),
    onLines(listener) {
      waiters.add(listener);
      return () => waiters.delete(listener);
    },
  };
}

/** Resolves when `providers` between them logged `count` lines matching. */
export function waitForTotal(
  providers: readonly TestProvider[],
  match: (line: ProviderLogLine) => boolean,
  count: number,
  timeoutMs = 60_000,
): Promise<void> {
  const total = () => providers.reduce((sum, p) => sum + p.lines().filter(match).length, 0);
  return new Promise((resolve, reject) => {
    const unsubscribe = providers.map((p) => p.onLines(check));
    const timer = setTimeout(() => finish(new Error(`timed out: ${total()} of ${count} lines after ${timeoutMs} ms`)), timeoutMs);
    function finish(err?: Error) {
      clearTimeout(timer);
      for (const u of unsubscribe) u();
      if (err) reject(err);
      else resolve();
    }
    function check() {
      if (total() >= count) finish();
    }
    check();
  });
}
