import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot, spawnTsProcess, type SpawnedProcess } from '../spawn-process.ts';

/** What Prism's own log said: requests it received, and the violations its VALIDATOR logged. */
export interface PrismLog {
  /** `[HTTP SERVER] <method> <path> ... Request received` lines. */
  requests: number;
  /** `Violation: ...` lines, with the severity Prism gave each. */
  violations: string[];
}

/** A Stoplight Prism proxy in front of a coordinator, validating traffic against spec/openapi.json. */
export interface RunningPrism {
  /** Where to send requests instead of the coordinator. */
  url: string;
  process: SpawnedProcess;
  /**
   * The log once it has caught up with `requests` answered requests. Prism logs through a pipe,
   * so a response can arrive before the lines about it: this waits until `requests` were logged,
   * then sends one more (GET /healthz, not counted) and waits for it too, since Prism logged
   * everything about the earlier, answered requests before it received that one.
   */
  logAfter(requests: number): Promise<PrismLog>;
  /** Kills Prism and removes its copy of the document. */
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
// The CLI's own entry point (package.json `bin.prism`), run with this Node, not through a shell.
const prismCli = join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist/index.js');

/**
 * Starts `prism proxy <spec> <upstream>` on a free loopback port. Prism watches its document and
 * restarts (dropping connections) when the file changes, so it gets a private copy: a concurrent
 * `npm run openapi` must not restart it mid-test. `doctor` may change that copy (for a test that
 * Prism does catch a lie).
 *
 * Not `--errors`: with it, Prism answers a response violation of severity error with its own 422
 * instead of the coordinator's answer, which would derail the scenario at the first finding and
 * hide what the coordinator said. Without it Prism forwards everything and reports each violation
 * twice, in the `sl-violations` response header (JSON, per request) and as a log line (error,
 * warning or info, by severity; the default log level shows all three); the test reads both.
 */
export async function startPrism(upstreamUrl: string, options: { doctor?: (document: any) => void } = {}): Promise<RunningPrism> {
  const dir = mkdtempSync(join(tmpdir(), 'taskproc-prism-'));
  const spec = join(dir, 'openapi.json');
  const document = JSON.parse(readFileSync(join(repoRoot, 'spec/openapi.json'), 'utf8'));
  options.doctor?.(document);
  writeFileSync(spec, JSON.stringify(document));
  const proc = spawnTsProcess(prismCli, { FORCE_COLOR: '0' }, ['proxy', spec, upstreamUrl, '--host', '127.0.0.1', '--port', '0']);
  const log = followLog(proc);
  const stop = async () => {
    await proc.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = (await proc.waitForLine(/Prism is listening on (http:\/\/\S+)/))[1]!;
    return {
      url,
      process: proc,
      async logAfter(requests) {
        await log.until(requests);
        const flush = await fetch(new URL('/healthz', url));
        await flush.arrayBuffer();
        await log.until(requests + 1);
        return { requests: log.state.requests - 1, violations: [...log.state.violations] };
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Follows Prism's log lines (signale writes them to stdout, errors to stderr) as they come. */
function followLog(proc: SpawnedProcess) {
  const state: PrismLog = { requests: 0, violations: [] };
  const waiters = new Set<() => void>();
  for (const stream of [proc.child.stdout!, proc.child.stderr!]) {
    let partial = '';
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (/\[HTTP SERVER\] .* Request received$/.test(line)) state.requests++;
        const violation = /\[VALIDATOR\]\s*(.*Violation: .*)$/.exec(line);
        if (violation) state.violations.push(violation[1]!);
      }
      for (const wake of waiters) wake();
    });
  }
  return {
    state,
    until(requests: number, timeoutMs = 10_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Prism logged ${state.requests} requests, not ${requests}, within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (state.requests < requests) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
