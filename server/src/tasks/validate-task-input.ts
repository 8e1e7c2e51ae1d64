import { and, eq, inArray } from 'drizzle-orm';
import { validateSlots, type SlotValues, type TaskType } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { files } from '../db/schema.ts';
import { ApiError } from '../errors.ts';
import type { StoredDescriptor } from '../providers/provider-rows.ts';
import { inputRules } from '../providers/slot-rules.ts';

export interface ValidateTaskInputOptions {
  type: TaskType;
  /** The serving provider: its optional slots, enum values and defaults count. */
  provider: StoredDescriptor;
  input: SlotValues;
  /** Files in file slots must belong to this app; null (admin) accepts any existing file. */
  fileOwner: string | null;
  maxInputBytes: number;
}

export interface ValidatedInput {
  /** The input as it will be stored. */
  values: SlotValues;
  /** The files its file slots name, each once (retention keeps them while the task exists). */
  fileIds: number[];
}

/**
 * Checks task input before anything is written: slots against the shapes (defaults filled),
 * the serialized size, and that every file slot names a file the caller owns. Throws ApiError
 * naming the slot at fault.
 */
export async function validateTaskInput(db: Executor, options: ValidateTaskInputOptions): Promise<ValidatedInput> {
  const checked = validateSlots(options.input, inputRules(options.type, options.provider), 'input');
  if (!checked.ok) throw new ApiError(checked.error.code, checked.error.detail, { slot: checked.error.slot });

  // Measured after defaults are filled: the limit guards what is stored and sent to providers.
  const size = Buffer.byteLength(JSON.stringify(checked.values), 'utf8');
  if (size > options.maxInputBytes) {
    throw new ApiError(
      'input_too_large',
      `the input is ${size} bytes serialized; the limit is ${options.maxInputBytes} bytes (upload large content as files)`,
    );
  }

  const ids = [...new Set(checked.files.map((f) => f.fileId))];
  if (ids.length > 0) {
    const owned = options.fileOwner === null ? undefined : eq(files.appId, options.fileOwner);
    const found = await db
      .select({ id: files.id })
      .from(files)
      .where(and(inArray(files.id, ids), owned));
    const foundIds = new Set(found.map((f) => f.id));
    const missing = checked.files.find((f) => !foundIds.has(f.fileId));
    if (missing) {
      // "Not yours" and "does not exist" read the same, so file ids of other apps cannot be probed.
      throw new ApiError('file_not_found', `input slot "${missing.slot}": file ${missing.fileId} does not exist`, {
        slot: missing.slot,
      });
    }
  }
  return { values: checked.values, fileIds: ids };
}
