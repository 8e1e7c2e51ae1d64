import type { ProviderRunner, StopOptions } from './run-providers.ts';

export interface ShutdownListenerOptions extends StopOptions {
  /** Default SIGINT and SIGTERM. */
  signals?: readonly NodeJS.Signals[];
}

/**
 * For a provider's own entry point: the first SIGINT/SIGTERM stops the runner gracefully. The
 * listeners come off at once, so a second signal gets Node's default (the process ends) — the
 * usual "press Ctrl-C again to force". Returns a function that detaches them; they also come off
 * when the runner stops.
 */
export function attachShutdownListeners(runner: ProviderRunner, options: ShutdownListenerOptions = {}): () => void {
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const onSignal = () => {
    detach();
    void runner.stop({ graceMs: options.graceMs });
  };
  let attached = true;
  const detach = () => {
    if (!attached) return;
    attached = false;
    for (const signal of signals) process.off(signal, onSignal);
  };
  for (const signal of signals) process.on(signal, onSignal);
  runner.done.then(detach, detach);
  return detach;
}
