import { z } from 'zod';
import { Provider, ProviderDescriptor, ProviderId, ProviderList } from '../providers.ts';
import { authErrors, defineRoute, jsonBody, jsonContent, problemContent, security } from './route-contract.ts';

export const ProviderParams = z.object({ providerId: ProviderId });

/** Provider registration, and the listing apps and operators read liveness from. */
export const providerRoutes = {
  register: defineRoute({
    method: 'put',
    path: '/v1/providers/{providerId}',
    tags: ['providers'],
    summary: 'Register or replace a provider',
    description:
      'Idempotent: provider processes call it on every start. The provider belongs to the app of the ' +
      'token; an id registered by another app answers 409 provider_conflict. A provider may bring a ' +
      'custom task type (customTaskType, whose id equals taskType). Defaults, enum values and optional ' +
      'slots must fit the task type (422 invalid_provider, naming the slot).',
    security,
    request: { params: ProviderParams, body: jsonBody(ProviderDescriptor) },
    responses: {
      200: jsonContent(Provider, 'The registration was replaced'),
      201: jsonContent(Provider, 'The provider was registered'),
      400: problemContent('invalid_request or invalid_json'),
      ...authErrors,
      409: problemContent('provider_conflict: another app owns the id; task_type_conflict: customTaskType clashes'),
      413: problemContent('payload_too_large'),
      422: problemContent('unknown_task_type or invalid_provider (with slot and field)'),
    },
  }),

  delete: defineRoute({
    method: 'delete',
    path: '/v1/providers/{providerId}',
    tags: ['providers'],
    summary: 'Delete a provider',
    description:
      "Provider tokens delete their own app's providers; another app's provider answers 404 like a missing one. " +
      'Tasks already scheduled stay queued for the remaining providers of the type.',
    security,
    request: { params: ProviderParams },
    responses: {
      204: { description: 'Deleted' },
      400: problemContent('invalid_request'),
      ...authErrors,
      404: problemContent('not_found'),
    },
  }),

  list: defineRoute({
    method: 'get',
    path: '/v1/providers',
    tags: ['providers'],
    summary: 'List providers',
    description: "Provider tokens see their own app's providers; app and admin tokens see every provider, with liveness.",
    security,
    responses: {
      200: jsonContent(ProviderList, 'Providers, grouped by task type in registration order'),
      ...authErrors,
    },
  }),
};
