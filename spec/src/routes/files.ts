import { z } from 'zod';
import { FileInfo } from '../files.ts';
import { headers } from '../headers.ts';
import { rowIdParam } from '../safe-values.ts';
import { authErrors, defineRoute, jsonContent, problemContent, security } from './route-contract.ts';

export const FileParams = z.object({ id: rowIdParam() });
/** Raw bytes, in a request or an answer. */
export const Binary = z.string().meta({ format: 'binary' });
const fileNotFound = problemContent('not_found: no such file, or it belongs to another app');

/** Files apps upload for file slots, and download from task outputs. */
export const fileRoutes = {
  upload: defineRoute({
    method: 'post',
    path: '/v1/files',
    tags: ['files'],
    summary: 'Upload a file',
    description:
      'The body is the raw bytes. Content-Type becomes the file\'s mimeType (default application/octet-stream); ' +
      `the name comes from the ${headers.fileName} header (percent-encoded for non-ASCII names) or the name ` +
      'query parameter (default "upload"). Pass the returned id in Image, Audio, Video and File slots.',
    security,
    request: {
      query: z.object({ name: z.string().optional().describe(`File name, when no ${headers.fileName} header is sent`) }),
      body: { content: { '*/*': { schema: Binary } }, required: true },
    },
    responses: {
      201: jsonContent(FileInfo, 'The file was stored'),
      400: problemContent('invalid_request: empty body, bad name or content type'),
      ...authErrors,
      413: problemContent('payload_too_large: over TASKPROC_MAX_FILE_BYTES'),
    },
  }),

  download: defineRoute({
    method: 'get',
    path: '/v1/files/{id}',
    tags: ['files'],
    summary: 'Download a file',
    security,
    request: { params: FileParams },
    responses: {
      200: { content: { '*/*': { schema: Binary } }, description: 'The bytes, with the file\'s own Content-Type' },
      400: problemContent('invalid_request'),
      ...authErrors,
      404: fileNotFound,
    },
  }),

  info: defineRoute({
    method: 'get',
    path: '/v1/files/{id}/info',
    tags: ['files'],
    summary: 'Get a file\'s metadata',
    security,
    request: { params: FileParams },
    responses: {
      200: jsonContent(FileInfo, 'The file\'s metadata'),
      400: problemContent('invalid_request'),
      ...authErrors,
      404: fileNotFound,
    },
  }),
};
