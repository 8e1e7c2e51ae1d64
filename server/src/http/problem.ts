import type { Context } from 'hono';
import { errorCatalogue, headers, problemContentType, problemTypeUri, type ErrorCode, type Problem } from '@taskproc/spec';

/** Renders an RFC 9457 problem; the only way the API answers an error. */
export function problemResponse(
  c: Context,
  code: ErrorCode,
  detail: string,
  extra: { slot?: string; field?: string; headers?: Record<string, string> } = {},
): Response {
  const { status, title } = errorCatalogue[code];
  const requestId = c.get('requestId') as string | undefined;
  const body: Problem = {
    type: problemTypeUri(code),
    title,
    status,
    detail,
    code,
    ...(extra.slot !== undefined ? { slot: extra.slot } : {}),
    ...(extra.field !== undefined ? { field: extra.field } : {}),
    ...(requestId ? { requestId } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': problemContentType,
      ...(requestId ? { [headers.requestId]: requestId } : {}),
      ...(extra.headers ?? {}),
    },
  });
}
