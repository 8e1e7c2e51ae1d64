import { createHash, randomBytes } from 'node:crypto';

/** A new bearer secret: a recognisable prefix and 256 random bits. */
export function generateTokenSecret(): string {
  return `tp_${randomBytes(32).toString('base64url')}`;
}

/** Tokens are high-entropy, so a plain SHA-256 is enough to keep the stored copy useless. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
