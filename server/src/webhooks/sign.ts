import { createHmac, randomBytes } from 'node:crypto';
import { webhookSignature, webhookSignedContent } from '@taskproc/spec';

/**
 * The X-Taskproc-Signature value of a webhook call: `t=<unix seconds>,v1=<hex>`, where `<hex>` is
 * HMAC-SHA256 keyed with the secret string's UTF-8 bytes over `"<t>.<raw body>"`. The timestamp is
 * signed with the body, so a captured call cannot be replayed later with a fresh timestamp.
 */
export function signWebhook(secret: string, rawBody: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(webhookSignedContent(timestampSeconds, rawBody)).digest('hex');
  return `t=${timestampSeconds},${webhookSignature.version}=${mac}`;
}

/** A new webhook secret: 32 random bytes, base64url. */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}
