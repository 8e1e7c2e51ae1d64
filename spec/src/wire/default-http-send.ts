// Outside Node (a browser app, the console): the global fetch, looked up per call so a fetch
// patched later (msw, tracing) is the one used. Node gets default-http-send.node.ts instead,
// through the `#default-http-send` import map in package.json.
import { fetchHttpSend, type HttpSend } from './http-send.ts';

export const defaultHttpSend: HttpSend = fetchHttpSend((input, init) => globalThis.fetch(input, init));
