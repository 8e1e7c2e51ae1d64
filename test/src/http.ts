/** A response as tests look at it. */
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Minimal JSON-over-HTTP helper for tests that check the wire itself (status, headers, problem
 * bodies). `fetchImpl` lets in-process tests send the requests to `app.fetch` instead of a socket.
 */
export function createHttp(baseUrl: string, token?: string, fetchImpl: typeof fetch = fetch) {
  const request = async <T = any>(
    method: string,
    path: string,
    options: {
      json?: unknown;
      body?: RequestInit['body'];
      headers?: Record<string, string>;
      token?: string | null;
      signal?: AbortSignal;
    } = {},
  ): Promise<TestResponse<T>> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const bearer = options.token === undefined ? token : options.token;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const res = await fetchImpl(new URL(path, baseUrl), { method, headers, body, signal: options.signal });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && text ? JSON.parse(text) : text;
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
  return {
    /** The bearer token this client sends, if any. */
    token,
    request,
    get: <T = any>(path: string, o?: Parameters<typeof request>[2]) => request<T>('GET', path, o),
    post: <T = any>(path: string, json?: unknown, o?: Parameters<typeof request>[2]) =>
      request<T>('POST', path, { ...o, json }),
    put: <T = any>(path: string, json?: unknown, o?: Parameters<typeof request>[2]) =>
      request<T>('PUT', path, { ...o, json }),
    delete: <T = any>(path: string, o?: Parameters<typeof request>[2]) => request<T>('DELETE', path, o),
    withToken: (t: string) => createHttp(baseUrl, t, fetchImpl),
    /** The same token against another coordinator (a replica). */
    withBase: (url: string) => createHttp(url, token, fetchImpl),
  };
}
export type Http = ReturnType<typeof createHttp>;
