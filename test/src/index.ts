export * from './databases.ts';
export * from './http.ts';
export * from './postgres-admin.ts';
export * from './spawn-process.ts';
export * from './start-coordinator.ts';
