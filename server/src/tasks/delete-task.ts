import { and, eq } from 'drizzle-orm';
import { files, tasks } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { recordTaskEvents } from '../events/record-task-event.ts';

/**
 * Deletes a task of `appScope` (null: any app) with the output files its provider produced.
 * Files the app uploaded as input stay: the app owns them and may use them again.
 *
 * The `deleted` event is written in the same transaction as the delete (the event log has no
 * foreign key to tasks), so event streams learn of every deletion and of none that rolled back.
 * The bytes go after the commit: a crash in between leaves an unreferenced blob, never a file
 * row without bytes. Deleting a running task is allowed; its provider's next report finds no
 * task and is refused.
 */
export async function deleteTask(
  deps: Pick<Deps, 'db' | 'signals' | 'fileStore' | 'logger'>,
  id: number,
  appScope: string | null,
): Promise<void> {
  const deleted = await deps.db.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(tasks)
      .where(and(eq(tasks.id, id), appScope === null ? undefined : eq(tasks.appId, appScope)))
      .for('update');
    if (!row) return undefined;
    await recordTaskEvents(tx, [row], 'deleted');
    const outputFiles = await tx
      .delete(files)
      .where(eq(files.taskId, id))
      .returning({ storageKey: files.storageKey });
    await tx.delete(tasks).where(eq(tasks.id, id));
    return { row, storageKeys: outputFiles.map((f) => f.storageKey) };
  });
  if (!deleted) throw notFound(`task ${id}`);
  deps.signals.taskChanged({ taskId: deleted.row.id, appId: deleted.row.appId });
  const { row } = deleted;
  if (row.status === 'running' && row.providerId) {
    deps.signals.leasesEnded([{ taskId: row.id, providerId: row.providerId, leaseId: row.leaseId, reason: 'deleted' }]);
  }
  for (const key of deleted.storageKeys) {
    await deps.fileStore.delete(key).catch((err: unknown) => {
      deps.logger.warn({ err, taskId: id, storageKey: key }, 'could not delete the bytes of a deleted task\'s file');
    });
  }
}
