import type { AvailableTaskType } from '@taskproc/client';
import type { Connection } from '../api/connection.ts';
import { useLoad, type Loaded } from './use-load.ts';

/** Every task type the coordinator knows, served or not (`all`), to name and shape what tasks show. */
export function useAllTaskTypes(connection: Connection): Loaded<AvailableTaskType[]> {
  return useLoad((signal) => connection.client.taskTypes({ all: true, signal }), [connection]);
}
