import { AppId } from '@taskproc/spec';
import { z } from 'zod';

/** One token to seed: `role:appId:secret`. */
export interface SeedToken {
  role: 'app' | 'provider';
  appId: string;
  secret: string;
}

const minSecretLength = 16;

/**
 * TASKPROC_SEED_TOKENS: `role:appId:secret` entries, comma-separated, e.g.
 * `provider:openai:<secret>,app:mail:<secret>`. For deployments that must start whole from one
 * environment (docker compose): the provider's token can exist before the coordinator first ran.
 * Secrets hold no comma; every problem is named with the entry's position, never its secret.
 */
export const SeedTokensSchema = z.string().transform((value, ctx): SeedToken[] => {
  const seeds: SeedToken[] = [];
  for (const [i, entry] of value.split(',').map((s) => s.trim()).filter(Boolean).entries()) {
    const [role, appId, ...rest] = entry.split(':');
    const secret = rest.join(':');
    const where = `entry ${i + 1}`;
    if (role !== 'app' && role !== 'provider') ctx.addIssue({ code: 'custom', message: `${where}: the role must be app or provider` });
    else if (!AppId.safeParse(appId).success) ctx.addIssue({ code: 'custom', message: `${where}: "${appId}" is not an app id` });
    else if (secret.length < minSecretLength) ctx.addIssue({ code: 'custom', message: `${where}: the secret must be at least ${minSecretLength} characters` });
    else seeds.push({ role, appId: appId!, secret });
  }
  return seeds;
});
