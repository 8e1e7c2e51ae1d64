import { TaskTypeList, TaskTypeListQuery } from '../task-type-listing.ts';
import { authErrors, defineRoute, jsonContent, problemContent, security } from './route-contract.ts';

/** The task types an app can schedule (Nextcloud's getAvailableTaskTypes). */
export const taskTypeRoutes = {
  list: defineRoute({
    method: 'get',
    path: '/v1/task-types',
    tags: ['task types'],
    summary: 'List task types',
    description:
      'Types with at least one registered provider, each with the shapes and the additions (optional slots, ' +
      'defaults, enum values) of the provider its tasks go to. `all=true` adds the types no provider serves.',
    security,
    request: { query: TaskTypeListQuery },
    responses: {
      200: jsonContent(TaskTypeList, 'The task types, sorted by id'),
      400: problemContent('invalid_request'),
      ...authErrors,
    },
  }),
};
