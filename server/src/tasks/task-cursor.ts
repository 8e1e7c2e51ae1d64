import { int4Max } from '@taskproc/spec';
import { ApiError } from '../errors.ts';

// Cursors are opaque to clients so the listing may change how it pages without breaking them;
// today a cursor is the id of the last task of the previous page.

/** The cursor that continues a listing after the task `lastId`. */
export function encodeTaskCursor(lastId: number): string {
  return Buffer.from(`t:${lastId}`, 'utf8').toString('base64url');
}

/** The task id a cursor continues after; 400 invalid_request for anything not made by encodeTaskCursor. */
export function decodeTaskCursor(cursor: string): number {
  const match = /^t:([1-9][0-9]{0,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const id = match ? Number(match[1]) : NaN;
  // Task ids are int4: a larger one was never made here, and the database would refuse it (a 500).
  if (!Number.isSafeInteger(id) || id > int4Max) {
    throw new ApiError('invalid_request', 'query.cursor: not a cursor this listing returned', { field: 'query.cursor' });
  }
  return id;
}
