import { z } from 'zod';
import { storableText } from './safe-values.ts';

export const tokenRoles = ['admin', 'app', 'provider'] as const;
export const TokenRole = z.enum(tokenRoles).meta({
  id: 'TokenRole',
  description:
    'admin: everything. app: schedules and sees its own tasks and files. provider: registers and serves providers of its app id.',
});
export type TokenRole = z.infer<typeof TokenRole>;

export const AppId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'app ids are letters, digits and . _ -')
  .meta({ id: 'AppId', example: 'mail' });

export const CreateTokenRequest = z
  .object({
    role: TokenRole,
    appId: AppId.optional().describe('Required for app and provider tokens'),
    name: storableText().min(1).max(200).describe('What the token is for'),
  })
  .strict()
  .refine((t) => t.role === 'admin' || t.appId !== undefined, {
    message: 'app and provider tokens need an appId',
    path: ['appId'],
  })
  .meta({ id: 'CreateTokenRequest' });

export const TokenInfo = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: TokenRole,
    appId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'TokenInfo' });
export type TokenInfo = z.infer<typeof TokenInfo>;

export const CreatedToken = TokenInfo.extend({
  token: z.string().describe('The secret; shown once, stored only as a hash'),
}).meta({ id: 'CreatedToken' });

export const TokenList = z.object({ tokens: z.array(TokenInfo) }).meta({ id: 'TokenList' });
