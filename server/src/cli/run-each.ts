/** Requests in flight at once in a bulk operation: fast, without crowding the coordinator. */
export const bulkConcurrency = 8;

/**
 * Runs `work` on every item, a few at a time, calling `settled` as each ends. A rejection of
 * `work` stops new items from starting and is thrown once those in flight have ended: it is
 * what the caller could not classify (the coordinator went away), so going on would only
 * repeat it.
 */
export async function runEach<T>(items: readonly T[], work: (item: T) => Promise<void>, settled: () => void): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (err) {
        failure ??= { err };
        return;
      }
      settled();
    }
  };
  await Promise.all(Array.from({ length: Math.min(bulkConcurrency, items.length) }, lane));
  if (failure) throw failure.err;
}
