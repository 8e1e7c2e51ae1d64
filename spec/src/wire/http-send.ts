/**
 * The layer below the transport: one HTTP exchange, nothing else (no auth, no timeout, no error
 * mapping: the transport adds those). Two of them: `fetch` (browsers, or a fetch the caller
 * passes in) and Node's http module (the default on Node, see node-http-send.ts).
 */
export interface HttpSendRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | Blob | undefined;
  /** Aborts the exchange, also while a streamed body is being read. */
  signal: AbortSignal;
  /** Leave a 2xx body unread and hand it out as a stream (server-sent events). */
  stream: boolean;
}

export interface HttpSendResponse {
  status: number;
  headers: Headers;
  /** The body read in full; empty when `body` is set. */
  bytes: Uint8Array;
  /** The unread body of a 2xx answer to a `stream` request; null otherwise. */
  body: ReadableStream<Uint8Array> | null;
}

/** Sends one request and answers with its status, headers and body. */
export type HttpSend = (request: HttpSendRequest) => Promise<HttpSendResponse>;

export const emptyBody = new Uint8Array(0);

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Exchanges through a fetch implementation. */
export function fetchHttpSend(fetchImpl: typeof fetch): HttpSend {
  return async ({ url, method, headers, body, signal, stream }) => {
    const res = await fetchImpl(url, { method, headers, body: body as RequestInit['body'], signal });
    if (stream && res.ok) return { status: res.status, headers: res.headers, bytes: emptyBody, body: res.body };
    return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()), body: null };
  };
}
