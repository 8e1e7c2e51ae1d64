import { WebhookDeliveryList, WebhookSecret, WebhookSecretQuery } from '../webhooks.ts';
import { authErrors, defineRoute, jsonContent, problemContent, security } from './route-contract.ts';
import { TaskParams } from './tasks.ts';

/** Webhook signing secrets and the delivery log of a task. */
export const webhookRoutes = {
  getSecret: defineRoute({
    method: 'get',
    path: '/v1/webhook-secret',
    tags: ['webhooks'],
    summary: 'Get the app\'s webhook signing secret',
    description:
      'Webhook calls carry X-Taskproc-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>. ' +
      'The secret is created on first use.',
    security,
    request: { query: WebhookSecretQuery },
    responses: {
      200: jsonContent(WebhookSecret, 'The secret'),
      400: problemContent('invalid_request'),
      ...authErrors,
    },
  }),

  rotateSecret: defineRoute({
    method: 'post',
    path: '/v1/webhook-secret/rotate',
    tags: ['webhooks'],
    summary: 'Replace the app\'s webhook signing secret',
    description: 'Every webhook call from now on, retries of earlier deliveries included, is signed with the new secret.',
    security,
    request: { query: WebhookSecretQuery },
    responses: {
      200: jsonContent(WebhookSecret, 'The new secret'),
      400: problemContent('invalid_request'),
      ...authErrors,
    },
  }),

  deliveries: defineRoute({
    method: 'get',
    path: '/v1/tasks/{id}/webhook-deliveries',
    tags: ['webhooks'],
    summary: 'Webhook deliveries of a task, with every attempt',
    security,
    request: { params: TaskParams },
    responses: {
      200: jsonContent(WebhookDeliveryList, 'Deliveries, oldest first; empty when the task has no webhook or has not ended'),
      400: problemContent('invalid_request'),
      ...authErrors,
      404: problemContent('not_found: no such task, or it belongs to another app'),
    },
  }),
};
