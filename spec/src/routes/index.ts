import { adminRoutes } from './admin.ts';
import { eventRoutes } from './events.ts';
import { fileRoutes } from './files.ts';
import { providerRoutes } from './providers.ts';
import { serviceRoutes } from './service.ts';
import { taskRoutes } from './tasks.ts';
import { taskTypeRoutes } from './task-types.ts';
import { webhookRoutes } from './webhooks.ts';
import { workRoutes } from './work.ts';

export * from './route-contract.ts';
export { adminRoutes, eventRoutes, fileRoutes, providerRoutes, serviceRoutes, taskRoutes, taskTypeRoutes, webhookRoutes, workRoutes };
export { TaskParams, ScheduleHeaders } from './tasks.ts';
export { FileParams, Binary } from './files.ts';
export { EventStreamHeaders } from './events.ts';
export { TaskIdParam, TaskFileParams, LeaseQuery, PreferHeader, TaskAnswer } from './work.ts';
export { ProviderParams } from './providers.ts';
export { TokenParams, TaskTypeParams } from './admin.ts';

/** Every route of the protocol, by area: the whole HTTP contract of the coordinator. */
export const routes = {
  service: serviceRoutes,
  taskTypes: taskTypeRoutes,
  tasks: taskRoutes,
  files: fileRoutes,
  events: eventRoutes,
  webhooks: webhookRoutes,
  providers: providerRoutes,
  admin: adminRoutes,
  work: workRoutes,
};
