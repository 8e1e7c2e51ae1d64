/**
 * An abort whose AbortSignal is made only when something asks for it. Node's AbortSignal is an
 * EventTarget: about 2 µs to make, 2 µs per listener added and removed, 2 µs to abort, and
 * 0.8 kB each. A task run has two aborts (its work, its lease), and a short task needs neither
 * signal (no heartbeat, a handler that does not read `ctx.signal`): in a drain of short tasks
 * they were a large part of the provider's CPU per task. A class, so that its methods are not
 * closures made again for every task.
 */
export class LazyAbort {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #listeners: Array<(reason: unknown) => void> | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  /** What `abort` was given; undefined until then. */
  get reason(): unknown {
    return this.#reason;
  }

  /** The AbortSignal, made on first use; already aborted when the abort came first. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts once (later calls do nothing): the signal, if made, then the `onAbort` listeners. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    for (const listener of listeners ?? []) listener(reason);
  }

  /** Calls `listener` once when aborted, at once when it is already. */
  onAbort(listener: (reason: unknown) => void): void {
    if (this.#aborted) listener(this.#reason);
    else (this.#listeners ??= []).push(listener);
  }

  /** Forgets a listener `onAbort` was given. */
  offAbort(listener: (reason: unknown) => void): void {
    const i = this.#listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.#listeners!.splice(i, 1);
  }
}
