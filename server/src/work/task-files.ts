import { isFileShapeType, isListShapeType, type FileInfo } from '@taskproc/spec';
import { toFileInfo } from '../files/file-info.ts';
import type { Principal } from '../auth/tokens.ts';
import type { Deps } from '../deps.ts';
import { findFile } from '../files/find-file.ts';
import { storeFile } from '../files/store-file.ts';
import { ApiError } from '../errors.ts';
import { descriptorOf } from '../providers/provider-rows.ts';
import { loadHeldTask, type HeldTask } from './held-task.ts';

async function runningHeldTask(deps: Deps, principal: Principal, taskId: number, leaseId: string): Promise<HeldTask> {
  const held = await loadHeldTask(deps.db.db, principal, taskId, leaseId);
  if (held.row.status !== 'running') throw new ApiError('lease_lost', `task ${taskId} already ended (${held.row.status})`);
  return held;
}

/** File ids the task's input names in its file slots (the only files its provider may read). */
async function inputFileIds(deps: Deps, { row, provider }: HeldTask): Promise<Set<number>> {
  const type = await deps.taskTypes.find(deps.db.db, row.type);
  const shape = { ...type?.type.inputShape, ...descriptorOf(provider).optionalInputShape };
  const ids = new Set<number>();
  for (const [key, slot] of Object.entries(shape)) {
    if (!isFileShapeType(slot.type)) continue;
    const value = row.input[key];
    const values = isListShapeType(slot.type) && Array.isArray(value) ? value : [value];
    for (const v of values) if (typeof v === 'number') ids.add(v);
  }
  return ids;
}

/** An input file of a task, for the provider holding its lease. */
export async function readTaskInputFile(
  deps: Deps,
  principal: Principal,
  input: { taskId: number; fileId: number; leaseId: string },
): Promise<{ info: FileInfo; body: ReadableStream<Uint8Array> }> {
  const held = await runningHeldTask(deps, principal, input.taskId, input.leaseId);
  const task = held.row;
  // 422, not 404: a 404 on a lease call means the task is gone, and a provider would stop work it still holds.
  if (!(await inputFileIds(deps, held)).has(input.fileId)) {
    throw new ApiError('file_not_found', `file ${input.fileId} is not in the input of task ${input.taskId}`);
  }
  const row = await findFile(deps.db.db, input.fileId, task.appId);
  const body = row ? await deps.fileStore.get(row.storageKey) : null;
  if (!row || !body) throw new ApiError('file_not_found', `file ${input.fileId} of task ${input.taskId} no longer exists`);
  return { info: toFileInfo(row), body };
}

/** Stores an output file of a task; the app that owns the task owns the file. */
export async function writeTaskOutputFile(
  deps: Deps,
  principal: Principal,
  input: { taskId: number; leaseId: string; bytes: Uint8Array; mimeType: string; name: string },
): Promise<FileInfo> {
  const { row: task } = await runningHeldTask(deps, principal, input.taskId, input.leaseId);
  if (input.bytes.byteLength === 0) throw new ApiError('invalid_request', 'the file is empty', { field: 'body' });
  const row = await storeFile(deps, {
    appId: task.appId,
    taskId: task.id,
    name: input.name,
    mimeType: input.mimeType,
    bytes: input.bytes,
  });
  return toFileInfo(row);
}
