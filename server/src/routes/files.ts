import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { contentDisposition, FileInfo, headers, rowIdParam } from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { parseUploadMimeType, parseUploadName } from '../files/upload-metadata.ts';
import { findFile } from '../files/find-file.ts';
import { toFileInfo } from '../files/file-info.ts';
import { storeFile } from '../files/store-file.ts';
import { createRouter } from '../http/create-router.ts';
import { authErrors, jsonContent, problemContent, security } from '../http/responses.ts';
import { actingAppIdOf, appScopeOf } from '../tasks/app-scope.ts';

const FileParams = z.object({ id: rowIdParam() });
const Binary = z.string().meta({ format: 'binary' });
const fileNotFound = problemContent('not_found: no such file, or it belongs to another app');

/** Files apps upload for file slots, and download from task outputs. */
export function createFilesRoutes(deps: Deps) {
  const app = createRouter();
  const auth = requireRole(['app']);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/files',
      tags: ['files'],
      summary: 'Upload a file',
      description:
        'The body is the raw bytes. Content-Type becomes the file\'s mimeType (default application/octet-stream); ' +
        `the name comes from the ${headers.fileName} header (percent-encoded for non-ASCII names) or the name ` +
        'query parameter (default "upload"). Pass the returned id in Image, Audio, Video and File slots.',
      security,
      middleware: [auth] as const,
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
    async (c) => {
      const principal = c.get('principal');
      const name = parseUploadName(c.req.header(headers.fileName), c.req.valid('query').name);
      const mimeType = parseUploadMimeType(c.req.header('content-type'));
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength === 0) throw new ApiError('invalid_request', 'body: the file is empty', { field: 'body' });
      const row = await storeFile(deps, { appId: actingAppIdOf(principal), name, mimeType, bytes });
      c.header('Location', `/v1/files/${row.id}`);
      return c.json(toFileInfo(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/files/{id}',
      tags: ['files'],
      summary: 'Download a file',
      security,
      middleware: [auth] as const,
      request: { params: FileParams },
      responses: {
        200: { content: { 'application/octet-stream': { schema: Binary } }, description: 'The bytes, with the file\'s Content-Type' },
        400: problemContent('invalid_request'),
        ...authErrors,
        404: fileNotFound,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await findFile(deps.db.db, id, appScopeOf(c.get('principal')));
      if (!row) throw notFound(`file ${id}`);
      const stream = await deps.fileStore.get(row.storageKey);
      // A row without bytes is the coordinator's fault, not the caller's: a logged 500.
      if (!stream) throw new Error(`the bytes of file ${id} (key ${row.storageKey}) are missing from the file store`);
      return c.body(stream, 200, {
        'Content-Type': row.mimeType,
        'Content-Length': String(row.size),
        'Content-Disposition': contentDisposition(row.name),
        // The content type is the uploader's word; browsers must not second-guess it.
        'X-Content-Type-Options': 'nosniff',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/files/{id}/info',
      tags: ['files'],
      summary: 'Get a file\'s metadata',
      security,
      middleware: [auth] as const,
      request: { params: FileParams },
      responses: {
        200: jsonContent(FileInfo, 'The file\'s metadata'),
        400: problemContent('invalid_request'),
        ...authErrors,
        404: fileNotFound,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await findFile(deps.db.db, id, appScopeOf(c.get('principal')));
      if (!row) throw notFound(`file ${id}`);
      return c.json(toFileInfo(row), 200);
    },
  );

  return app;
}
