import { expect } from 'vitest';
import type { Http, TestResponse } from '../src/index.ts';

/** Every task id any app has, through the admin's listing. */
export async function allTaskIds(admin: Http): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const res: TestResponse = await admin.get(`/v1/tasks?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    ids.push(...res.body.tasks.map((t: { id: number }) => t.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return ids;
}
