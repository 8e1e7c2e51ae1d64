import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/index.ts';
import {
  awaitRecovery,
  chaosPlan,
  chaosTimeoutMs,
  createExitWatch,
  runChaos,
  startChaosCoordinator,
  startTcpBalancer,
  type ChaosCoordinator,
  type OutageWindow,
  type TcpBalancer,
} from '../src/chaos/index.ts';

// Two coordinator replicas on one PostgreSQL behind a TCP balancer, and one SIGKILLed under load
// (the full run kills them in turn, restarting each but the last). The balancer is not told: it
// finds the dead one by its refusals. The app's and the providers' connections through the dead
// one are cut, they retry, and land on the survivor, which finishes everything, including the
// tasks the dead one had handed out (their leases run out).

describe.skipIf(!inject('postgresAvailable'))('chaos: one of two replicas SIGKILLed under load [postgres]', () => {
  const exits = createExitWatch();
  let db: TestDatabase;
  let replicas: ChaosCoordinator[];
  let balancer: TcpBalancer;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    replicas = await Promise.all(['replica A', 'replica B'].map((label) => startChaosCoordinator(db, exits, label)));
    balancer = await startTcpBalancer(replicas.map((r) => r.port));
  });
  afterAll(async () => {
    await balancer?.close();
    for (const replica of replicas ?? []) await replica.stop();
    await db?.destroy();
  });

  it(
    `loses no task and completes none twice when a replica dies (${chaosPlan.replicaKills} SIGKILLs)`,
    async () => {
      await runChaos({
        label: 'one of two replicas SIGKILLed [postgres]',
        db,
        coordinators: replicas,
        url: balancer.url,
        exits,
        // Requests in flight through the killed replica are cut: that is the outage.
        connectionErrorsInOutage: true,
        async disturb({ load, pool }) {
          const windows: OutageWindow[] = [];
          const recoveries: number[] = [];
          let lastGone = 0;
          for (let i = 0; i < chaosPlan.replicaKills; i++) {
            await sleep(chaosPlan.replicaUpMs);
            const victim = replicas[i % 2]!;
            const { killedAt, goneAt } = await victim.kill();
            lastGone = goneAt;
            // The survivor was never down: recovery counts from the moment the victim was gone
            // (its connections cut), not from the signal, which takes a few ms to end a process.
            const recovery = await awaitRecovery(load, killedAt, goneAt);
            windows.push(recovery.window);
            recoveries.push(recovery.seconds);
            if (i < chaosPlan.replicaKills - 1) {
              await sleep(chaosPlan.replicaUpMs);
              await victim.start();
            }
          }
          // Every provider process works on through the survivor, whichever replica it was on.
          await Promise.all(
            pool.live().map((p) => p.waitFor((line) => line.msg === 'task reported' && Number(line.time) > lastGone, 20_000)),
          );
          await sleep(chaosPlan.replicaUpMs);
          return { windows, recoveries, extra: { 'replica kills': chaosPlan.replicaKills } };
        },
      });
    },
    chaosTimeoutMs(chaosPlan.replicaKills, 2 * chaosPlan.replicaUpMs + 10_000),
  );
});
