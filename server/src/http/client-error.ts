import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { problemContentType } from '@taskproc/spec';
import { problemBody } from './problem.ts';

/**
 * Answers what Node's HTTP parser refuses before any route sees it (a bad request line, an
 * HTTP/2 preface on this HTTP/1 port, headers over the limit) with problem+json, like every
 * other error, instead of Node's bare 400. Wire it to the server's `clientError` event.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  // A client that reset the connection hears nothing; a half-written answer helps nobody.
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const problem = tooLarge
    ? problemBody('headers_too_large', 'the request line and headers are over the size limit (16 KiB by default)')
    : problemBody('invalid_request', `the request is not valid HTTP/1.1 (${err.code ?? err.message})`);
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
      `Content-Type: ${problemContentType}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
