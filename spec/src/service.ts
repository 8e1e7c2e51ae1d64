import { z } from 'zod';

/** `GET /healthz`: the coordinator answers and reaches its database (else 503 database_unavailable). */
export const Health = z
  .object({
    status: z.literal('ok'),
    database: z.enum(['pglite', 'postgres']).describe('Which database this coordinator runs on'),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof Health>;
