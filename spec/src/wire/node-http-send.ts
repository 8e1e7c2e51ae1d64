// Node's global fetch (undici) spends about three times the CPU of the http module on a small
// request to the coordinator (measured on loopback: ~450 µs against ~130 µs per request, and
// 0.32 ms against 0.13 ms of latency), in WHATWG streams and Request/Response objects the
// transport never needed. Apps schedule and providers claim and report at a rate where that
// is most of the client's cost, so on Node the exchange goes through the http module on
// keep-alive agents instead.
import http from 'node:http';
import https from 'node:https';
import { pipeline, Readable } from 'node:stream';
import { emptyBody, isSuccessStatus, type HttpSend, type HttpSendRequest, type HttpSendResponse } from './http-send.ts';

// One pool of connections per process, as fetch has. The agent closes an idle socket before
// the server's `Keep-Alive: timeout` hint runs out, so a request rarely meets a closing socket.
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** Exchanges through Node's http/https modules on keep-alive agents. */
export const nodeHttpSend: HttpSend = (request) => exchange(request, true);

function exchange(request: HttpSendRequest, mayRetry: boolean): Promise<HttpSendResponse> {
  return new Promise((resolve, reject) => {
    const { url, body, signal } = request;
    const protocol = url.protocol;
    if (protocol !== 'http:' && protocol !== 'https:') {
      reject(new TypeError(`unsupported URL scheme ${protocol} (http: or https: expected)`));
      return;
    }
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const headers = { ...request.headers, ...bodyHeaders(request) };
    const module = protocol === 'https:' ? https : http;
    const req = module.request(url, { method: request.method, headers, agent: agents[protocol] });
    let response: http.IncomingMessage | undefined;
    // Aborted with the signal's reason, on the request and on a body still being read, as fetch
    // does (the http module's own `signal` option ends a streamed body with ECONNRESET instead).
    const onAbort = () => {
      const reason: unknown = signal.reason;
      const err = reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
      req.destroy(err);
      response?.destroy(err);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const answered = () => response !== undefined;

    req.once('error', (err: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      // A pooled socket the server closed as it was being reused: the request never reached
      // the server (Node's documented case for `reusedSocket`), so it is sent once more on a
      // fresh connection. A streamed Blob body cannot be read twice.
      if (!answered() && mayRetry && req.reusedSocket && err.code === 'ECONNRESET' && !signal.aborted && !(body instanceof Blob)) {
        exchange(request, false).then(resolve, reject);
        return;
      }
      reject(err);
    });

    req.once('response', (res) => {
      response = res;
      const status = res.statusCode ?? 0;
      const responseHeaders = headersOf(res.rawHeaders);
      const streamed = request.stream && isSuccessStatus(status);
      res.once('close', () => {
        signal.removeEventListener('abort', onAbort);
        if (!streamed && !res.complete) reject(new Error('the connection closed before the answer was complete'));
      });
      if (streamed) {
        resolve({ status, headers: responseHeaders, bytes: emptyBody, body: Readable.toWeb(res) as ReadableStream<Uint8Array> });
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
      });
      res.once('end', () => resolve({ status, headers: responseHeaders, bytes: concat(chunks, length), body: null }));
      res.once('error', reject);
    });

    if (body instanceof Blob) {
      pipeline(Readable.fromWeb(body.stream() as Parameters<typeof Readable.fromWeb>[0]), req, (err) => {
        if (err) req.destroy(err);
      });
    } else {
      req.end(body);
    }
  });
}

/** Content-Length always (no chunked uploads), and a Blob's type when no Content-Type was set. */
function bodyHeaders({ body, headers }: HttpSendRequest): Record<string, string> {
  if (body === undefined) return {};
  if (typeof body === 'string') return { 'content-length': String(Buffer.byteLength(body)) };
  if (body instanceof Uint8Array) return { 'content-length': String(body.byteLength) };
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  return { 'content-length': String(body.size), ...(body.type && !hasType ? { 'content-type': body.type } : {}) };
}

function headersOf(raw: string[]): Headers {
  const result = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) result.append(raw[i]!, raw[i + 1]!);
  return result;
}

// A plain Uint8Array of its own: Buffers may be views into a shared pool, and callers hand these
// bytes on (downloaded files).
function concat(chunks: Buffer[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
