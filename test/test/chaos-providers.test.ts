import { setTimeout as sleep } from 'node:timers/promises';
import { it } from 'vitest';
import { describeEachDatabase } from '../src/index.ts';
import { chaosPlan, chaosTimeoutMs, runChaos, useChaosCoordinator } from '../src/chaos/index.ts';

// Provider processes SIGKILLed one after another while an app schedules a steady stream of
// tasks, each replaced at once by a new process. A killed process's tasks come back when their
// lease runs out and another process does them: nothing lost, nothing done twice, no output
// wrong, and the coordinator never answers 5xx.

describeEachDatabase('chaos: provider processes SIGKILLed under load', (kind) => {
  const fx = useChaosCoordinator(kind);

  it(
    `loses no task and completes none twice through ${chaosPlan.providerKills} provider SIGKILLs`,
    async () => {
      await runChaos({
        label: `provider processes SIGKILLed [${kind}]`,
        db: fx.db,
        coordinators: [fx.coordinator],
        url: fx.coordinator.url,
        exits: fx.exits,
        connectionErrorsInOutage: false,
        async disturb({ pool }) {
          for (let i = 0; i < chaosPlan.providerKills; i++) {
            // The real-time pace of the kills: the load runs meanwhile.
            await sleep(chaosPlan.providerKillEveryMs);
            await pool.killOne();
          }
          // The last replacement works too (its tasks come back otherwise, but this says so).
          await pool.ready();
          return {};
        },
      });
    },
    chaosTimeoutMs(chaosPlan.providerKills, chaosPlan.providerKillEveryMs),
  );
});
