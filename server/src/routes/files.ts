import { createRoute } from '@hono/zod-openapi';
import { contentDisposition, fileRoutes, headers } from '@taskproc/spec';
import { requireRole } from '../auth/require-auth.ts';
import type { Deps } from '../deps.ts';
import { ApiError, notFound } from '../errors.ts';
import { parseUploadMimeType, parseUploadName } from '../files/upload-metadata.ts';
import { findFile } from '../files/find-file.ts';
import { toFileInfo } from '../files/file-info.ts';
import { storeFile } from '../files/store-file.ts';
import { createRouter } from '../http/create-router.ts';
import { actingAppIdOf, appScopeOf } from '../tasks/app-scope.ts';

/** Files apps upload for file slots, and download from task outputs. */
export function createFilesRoutes(deps: Deps) {
  const app = createRouter();
  const auth = requireRole(['app']);

  app.openapi(
    createRoute({ ...fileRoutes.upload, middleware: [auth] as const }),
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
    createRoute({ ...fileRoutes.download, middleware: [auth] as const }),
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
    createRoute({ ...fileRoutes.info, middleware: [auth] as const }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await findFile(deps.db.db, id, appScopeOf(c.get('principal')));
      if (!row) throw notFound(`file ${id}`);
      return c.json(toFileInfo(row), 200);
    },
  );

  return app;
}
