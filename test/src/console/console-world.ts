import type { DatabaseKind } from '../databases.ts';
import { startGate, type Gate } from '../gate-server.ts';
import { createProviderFixture, type ProviderFixture } from '../provider-fixture.ts';
import { event, followProvider, type TestProvider } from '../provider-process.ts';
import { spawnTsProcess } from '../spawn-process.ts';

/** The custom type of the scripted provider's `files` behaviour: an Image in, a File out. */
export const reverseImageType = 'test:reverse-image';

/**
 * What the console's browser tests run against: a real coordinator on a fresh database, the
 * showcase provider (test/src/console/showcase-provider.ts) and the fixtures' scripted
 * provider with its `files` behaviour, both real SDK processes, and the gate the showcase's
 * tasks wait on.
 */
export interface ConsoleWorld {
  fx: ProviderFixture;
  gate: Gate;
  showcase: TestProvider;
  files: TestProvider;
  consoleUrl: string;
  close(): Promise<void>;
}

export async function startConsoleWorld(kind: DatabaseKind): Promise<ConsoleWorld> {
  // Webhooks to the test's own loopback receiver (the gate) are allowed, so deliveries show.
  const [fx, gate] = await Promise.all([createProviderFixture(kind, { TASKPROC_WEBHOOK_ALLOW_PRIVATE: 'true' }), startGate()]);
  const showcase = followProvider(
    spawnTsProcess('test/src/console/showcase-provider.ts', {
      TASKPROC_URL: fx.coordinator.url,
      TASKPROC_TOKEN: fx.provider.token!,
      TEST_GATE_URL: gate.url,
    }),
    'showcase',
  );
  const files = fx.startProvider({ providerId: 'scripted:reverse', taskType: reverseImageType, behaviour: 'files' });
  await Promise.all([showcase.waitFor(event('ready')), files.waitFor(event('ready'))]);
  return {
    fx,
    gate,
    showcase,
    files,
    consoleUrl: `${fx.coordinator.url}/ui`,
    close: async () => {
      await showcase.process.stop('SIGKILL');
      await gate.close();
      await fx.close();
    },
  };
}
