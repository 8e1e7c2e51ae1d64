import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const repoRoot = new URL('../../', import.meta.url);

/** The machine the figures came from. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Version of an installed package, from its package.json in the root node_modules. */
export function packageVersion(name: string): string {
  const json = JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, repoRoot), 'utf8')) as { version: string };
  return json.version;
}

/** The commit the bench ran at (with "+dirty" when the tree had changes), or "unknown". */
export function gitCommit(): string {
  try {
    const run = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    const commit = run('rev-parse', '--short', 'HEAD');
    return run('status', '--porcelain').length > 0 ? `${commit}+dirty` : commit;
  } catch {
    return 'unknown';
  }
}
