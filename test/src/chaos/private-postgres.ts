import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import type { TestDatabase } from '../start-coordinator.ts';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of the suite's own, on a free loopback port in a temporary directory:
 * for restarting PostgreSQL under load without touching the shared cluster on 5432, which other
 * test files use at the same time.
 */
export interface PrivateCluster {
  readonly port: number;
  /** A new database in the cluster, as a TestDatabase for startCoordinator and queryTestDatabase. */
  createDatabase(name: string): Promise<TestDatabase>;
  /** `pg_ctl stop -m fast`: connections are cut, the server shuts down cleanly. */
  stop(): Promise<void>;
  /** `pg_ctl start -w`: resolves once the server accepts connections. */
  start(): Promise<void>;
  /** The end of the server's log, for failure messages. */
  logTail(): string;
  /** Stops the server (immediately) and removes the directory; safe to call twice. */
  destroy(): Promise<void>;
}

/** The newest PostgreSQL under /usr/lib/postgresql (Debian's layout), or TASKPROC_TEST_PG_BIN. */
export function postgresBinDir(): string {
  if (process.env.TASKPROC_TEST_PG_BIN) return process.env.TASKPROC_TEST_PG_BIN;
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL under /usr/lib/postgresql; set TASKPROC_TEST_PG_BIN');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = postgresBinDir();
  const root = mkdtempSync(join(tmpdir(), 'taskproc-pg-'));
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  // initdb and postgres refuse to run as root: as root, run them as the postgres user, who must
  // then own the directory.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(root, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  const port = await freePort();
  let running = false;
  let destroyed: Promise<void> | undefined;
  const logTail = () => {
    try {
      return readFileSync(log, 'utf8').slice(-3_000);
    } catch {
      return '(no server log)';
    }
  };
  const cluster: PrivateCluster = {
    port,
    async createDatabase(name) {
      const admin = postgres(`postgres://postgres@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {} });
      await admin.unsafe(`CREATE DATABASE ${name}`);
      await admin.end();
      const dataDir = mkdtempSync(join(tmpdir(), 'taskproc-test-'));
      return {
        kind: 'postgres',
        dataDir,
        databaseUrl: `postgres://postgres@127.0.0.1:${port}/${name}`,
        // The database goes with the cluster (destroy); only the file store is this database's.
        destroy: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
    async stop() {
      await pg('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']);
      running = false;
    },
    async start() {
      // fsync off: the machine never crashes under the test, and the disk is shared.
      const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`;
      try {
        await pg('pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', '30', '-o', options]);
      } catch (err) {
        throw new Error(`pg_ctl start failed: ${String(err)}\n${logTail()}`, { cause: err });
      }
      running = true;
    },
    logTail,
    destroy() {
      destroyed ??= (async () => {
        if (running) await pg('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => undefined);
        rmSync(root, { recursive: true, force: true });
      })();
      return destroyed;
    },
  };
  try {
    await pg('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '--no-sync', '--no-instructions']);
    await cluster.start();
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
  return cluster;
}
