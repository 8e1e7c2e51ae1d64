import {
  fileNameOfContentDisposition,
  headers as protocolHeaders,
  providerRoutes,
  readRouteJson,
  routeRequest,
  workRoutes,
  type BatchResultItem,
  type BatchResultResponse,
  type ClaimRequest,
  type ClaimResponse,
  type FileInfo,
  type LeaseResponse,
  type ProviderDescriptor,
  type ResultRequest,
  type StreamItem,
  type StreamResponse,
  type Task,
  type Transport,
  type TransportResponse,
} from '@taskproc/spec';
import type { FileContent, WriteFileOptions } from '../context.ts';

/** The provider's side of the protocol, one method per endpoint; responses checked against spec. */
export interface WorkApi {
  register(providerId: string, descriptor: ProviderDescriptor, signal?: AbortSignal): Promise<void>;
  claim(request: ClaimRequest, options: { signal?: AbortSignal; timeoutMs: number }): Promise<ClaimResponse>;
  /** A heartbeat when `progress` is undefined. */
  progress(taskId: number, leaseId: string, progress: number | undefined, signal?: AbortSignal): Promise<LeaseResponse>;
  result(taskId: number, report: ResultRequest, signal?: AbortSignal): Promise<Task>;
  /**
   * Several results in one request, answered minimally (each outcome's status, no task), and
   * optionally a claim in the same round trip (`next`).
   */
  results(items: BatchResultItem[], options: { next?: ClaimRequest; signal?: AbortSignal }): Promise<BatchResultResponse>;
  release(taskId: number, leaseId: string, signal?: AbortSignal): Promise<void>;
  /** Partial output of several tasks; one outcome per item. */
  stream(items: StreamItem[], signal?: AbortSignal): Promise<StreamResponse>;
  /** Opens the control stream (server-sent events); the caller reads the body. */
  control(providerIds: readonly string[], signal: AbortSignal): Promise<TransportResponse>;
  downloadFile(taskId: number, leaseId: string, fileId: number, signal?: AbortSignal): Promise<FileContent>;
  uploadFile(
    taskId: number,
    leaseId: string,
    bytes: Uint8Array,
    options: WriteFileOptions,
    signal?: AbortSignal,
  ): Promise<FileInfo>;
}

export function createWorkApi(http: Transport): WorkApi {
  return {
    async register(providerId, descriptor, signal) {
      await http(routeRequest(providerRoutes.register, { params: { providerId }, json: descriptor, signal }));
    },
    async claim(request, { signal, timeoutMs }) {
      const res = await http(routeRequest(workRoutes.claim, { json: request, signal, timeoutMs }));
      return readRouteJson(workRoutes.claim, res);
    },
    async progress(taskId, leaseId, progress, signal) {
      const json = progress === undefined ? { leaseId } : { leaseId, progress };
      const res = await http(routeRequest(workRoutes.progress, { params: { taskId }, json, signal }));
      return readRouteJson(workRoutes.progress, res);
    },
    async result(taskId, report, signal) {
      const res = await http(routeRequest(workRoutes.result, { params: { taskId }, json: report, signal }));
      return readRouteJson(workRoutes.result, res).task;
    },
    async results(items, { next, signal }) {
      const res = await http(
        routeRequest(workRoutes.results, {
          json: next ? { results: items, next } : { results: items },
          headers: { [protocolHeaders.prefer]: 'return=minimal' },
          signal,
        }),
      );
      return readRouteJson(workRoutes.results, res);
    },
    async release(taskId, leaseId, signal) {
      await http(routeRequest(workRoutes.release, { params: { taskId }, json: { leaseId }, signal }));
    },
    async stream(items, signal) {
      const res = await http(routeRequest(workRoutes.stream, { json: { items }, signal }));
      return readRouteJson(workRoutes.stream, res);
    },
    control(providerIds, signal) {
      return http(
        routeRequest(workRoutes.control, {
          query: { providerIds: providerIds.join(',') },
          headers: { accept: 'text/event-stream' },
          signal,
          stream: true,
        }),
      );
    },
    async downloadFile(taskId, leaseId, fileId, signal) {
      const res = await http(routeRequest(workRoutes.readFile, { params: { taskId, fileId }, query: { leaseId }, signal }));
      return {
        bytes: res.bytes,
        mimeType: res.headers.get('content-type') ?? 'application/octet-stream',
        name: fileNameOfContentDisposition(res.headers.get('content-disposition')) ?? `file-${fileId}`,
      };
    },
    async uploadFile(taskId, leaseId, bytes, options, signal) {
      const res = await http(
        routeRequest(workRoutes.writeFile, {
          params: { taskId },
          query: { leaseId },
          body: bytes,
          headers: { 'content-type': options.mimeType, [protocolHeaders.fileName]: fileNameHeaderValue(options.name ?? 'output') },
          signal,
        }),
      );
      return readRouteJson(workRoutes.writeFile, res);
    },
  };
}

/**
 * Header values are ASCII, so names that are not are percent-encoded (the coordinator decodes
 * them). Plain ASCII names go as they are: they read the same whether or not a server decodes.
 */
function fileNameHeaderValue(name: string): string {
  return /^[\x20-\x7e]*$/.test(name) && !name.includes('%') ? name : encodeURIComponent(name);
}
