import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'vitest';
import { describeEachDatabase } from '../src/index.ts';
import {
  awaitRecovery,
  chaosPlan,
  chaosTimeoutMs,
  runChaos,
  useChaosCoordinator,
  type OutageWindow,
} from '../src/chaos/index.ts';

// The coordinator SIGKILLed and started again on the same database and port while the app
// schedules and the providers work. Nobody is told: the app retries its schedule call with the
// same Idempotency-Key, the providers' SDK retries its claims, heartbeats and reports. Between
// a kill and the first task scheduled afterwards anything may fail; apart from that nothing may.

describeEachDatabase('chaos: the coordinator SIGKILLed and restarted under load', (kind) => {
  const fx = useChaosCoordinator(kind);

  it(
    `loses no task and completes none twice through ${chaosPlan.coordinatorKills} coordinator SIGKILLs`,
    async () => {
      await runChaos({
        label: `coordinator SIGKILLed and restarted [${kind}]`,
        db: fx.db,
        coordinators: [fx.coordinator],
        url: fx.coordinator.url,
        exits: fx.exits,
        // While it is down, nothing listens: refused and reset requests are the outage itself.
        connectionErrorsInOutage: true,
        async disturb({ load }) {
          const windows: OutageWindow[] = [];
          const recoveries: number[] = [];
          for (let i = 0; i < chaosPlan.coordinatorKills; i++) {
            await sleep(chaosPlan.coordinatorUpMs);
            const { killedAt } = await fx.coordinator.kill();
            const backAt = await fx.coordinator.start();
            const recovery = await awaitRecovery(load, killedAt, backAt);
            windows.push(recovery.window);
            recoveries.push(recovery.seconds);
          }
          // Load after the last restart too, so its aftermath is measured outside the outage.
          await sleep(chaosPlan.coordinatorUpMs);
          return { windows, recoveries, extra: { 'coordinator kills': chaosPlan.coordinatorKills } };
        },
      });
    },
    chaosTimeoutMs(chaosPlan.coordinatorKills, chaosPlan.coordinatorUpMs + 15_000),
  );
});
