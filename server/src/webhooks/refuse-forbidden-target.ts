import { ApiError } from '../errors.ts';
import { ForbiddenTargetError, checkWebhookTarget, type LookupAll } from './webhook-target.ts';

/**
 * Scheduling's check of a webhook URI (when private targets are not allowed): 422
 * webhook_target_forbidden when its host is, or resolves to, a loopback, private or otherwise
 * non-public address. A name that does not resolve now is accepted: DNS may be down for a moment,
 * and every delivery checks the target again before connecting.
 */
export async function refuseForbiddenWebhookTarget(uri: string, lookup?: LookupAll): Promise<void> {
  try {
    await checkWebhookTarget(uri, lookup);
  } catch (err) {
    if (err instanceof ForbiddenTargetError) {
      throw new ApiError('webhook_target_forbidden', `webhookUri: ${err.message}; the operator does not allow private webhook targets`, {
        field: 'json.webhookUri',
      });
    }
    // Unresolvable now: checked again at delivery.
  }
}
