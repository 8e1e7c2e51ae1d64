import { eq } from 'drizzle-orm';
import { builtInTaskTypes, type TaskType } from '@taskproc/spec';
import type { Executor } from '../db/create-db.ts';
import { customTaskTypes } from '../db/schema.ts';

export interface KnownTaskType {
  type: TaskType;
  builtIn: boolean;
}

const builtIns = new Map(builtInTaskTypes.map((t) => [t.id, t]));

export function isBuiltInTaskType(id: string): boolean {
  return builtIns.has(id);
}

/** Every known task type: the built-in catalogue plus the custom types providers brought. */
export async function loadTaskTypes(db: Executor): Promise<Map<string, KnownTaskType>> {
  const result = new Map<string, KnownTaskType>();
  for (const type of builtInTaskTypes) result.set(type.id, { type, builtIn: true });
  const custom = await db.select().from(customTaskTypes);
  for (const row of custom) result.set(row.id, { type: row.definition as TaskType, builtIn: false });
  return result;
}

/** One task type by id, or undefined. */
export async function findTaskType(db: Executor, id: string): Promise<KnownTaskType | undefined> {
  const builtIn = builtIns.get(id);
  if (builtIn) return { type: builtIn, builtIn: true };
  const [row] = await db.select().from(customTaskTypes).where(eq(customTaskTypes.id, id)).limit(1);
  return row ? { type: row.definition as TaskType, builtIn: false } : undefined;
}
