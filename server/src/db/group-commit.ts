/**
 * Group commit for statements that take many items: items that arrive while a statement is in
 * flight are written together by the next one. An idle coordinator adds no delay (the first item
 * goes out at once, after the current microtasks, so the items of one turn share it); a busy one
 * writes many per round trip and commit. `write` settles every item of its batch itself.
 */
export function createGroupCommit<T>(write: (batch: T[]) => Promise<void>, maxPerStatement: number): (item: T) => void {
  let pending: T[] = [];
  let flushing = false;

  const flush = async () => {
    while (pending.length > 0) {
      const batch = pending.slice(0, maxPerStatement);
      pending = pending.slice(maxPerStatement);
      await write(batch);
    }
    flushing = false;
  };

  return (item) => {
    pending.push(item);
    if (flushing) return;
    flushing = true;
    queueMicrotask(() => void flush());
  };
}
