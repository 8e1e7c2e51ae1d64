import { setTimeout as sleep } from 'node:timers/promises';
import { createHttp } from '../http.ts';

/**
 * Waits until the app has no scheduled or running task left, polling its task listing (the
 * state the test waits on), for at most `timeoutMs`. Resolves false on timeout rather than
 * throwing: the figures then count what never ended as lost, which says more than a timeout.
 * Two clean rounds in a row are needed: between the two queries of one round a task can move
 * from running back to scheduled (a lease ran out), and slip through both.
 */
export async function drainTasks(url: string, appToken: string, timeoutMs: number): Promise<boolean> {
  const app = createHttp(url, appToken);
  const pending = async (status: string) => {
    const res = await app.get(`/v1/tasks?status=${status}&limit=1`);
    if (res.status !== 200) return true;
    return res.body.tasks.length > 0;
  };
  let clean = 0;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) {
    try {
      clean = (await pending('scheduled')) || (await pending('running')) ? 0 : clean + 1;
      if (clean === 2) return true;
    } catch {
      // Not answering right now: keep asking until the deadline.
      clean = 0;
    }
  }
  return false;
}
