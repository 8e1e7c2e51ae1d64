import type { Context } from 'hono';
import { errorCatalogue, headers, problemContentType, problemTypeUri, type ErrorCode, type Problem } from '@taskproc/spec';

/** The problem document of an error; also what a batch answer carries per refused item. */
export function problemBody(code: ErrorCode, detail: string, extra: { slot?: string; field?: string } = {}, requestId?: string): Problem {
  const { status, title } = errorCatalogue[code];
  return {
    type: problemTypeUri(code),
    title,
    status,
    detail,
    code,
    ...(extra.slot !== undefined ? { slot: extra.slot } : {}),
    ...(extra.field !== undefined ? { field: extra.field } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

/** Renders an RFC 9457 problem; the only way the API answers an error. */
export function problemResponse(
  c: Context,
  code: ErrorCode,
  detail: string,
  extra: { slot?: string; field?: string; headers?: Record<string, string> } = {},
): Response {
  const requestId = c.get('requestId') as string | undefined;
  const body = problemBody(code, detail, extra, requestId);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: {
      'content-type': problemContentType,
      ...(requestId ? { [headers.requestId]: requestId } : {}),
      ...(extra.headers ?? {}),
    },
  });
}
