import { describe, expect, it } from 'vitest';
import { contentDisposition, fileNameOfContentDisposition } from '../src/wire/content-disposition.ts';

// The coordinator writes the header with contentDisposition; the client and the SDK read it
// back with fileNameOfContentDisposition: one rule, so every name survives the trip.

describe('Content-Disposition', () => {
  it('carries any file name there and back exactly', () => {
    for (const name of ['plain.txt', 'Grüße "zitiert".txt', 'a;b,c.txt', "it's (1)*.png", '😀 report.pdf', 'back\\slash', '100%.csv']) {
      expect(fileNameOfContentDisposition(contentDisposition(name))).toBe(name);
    }
  });

  it('gives readers without RFC 8187 an ASCII fallback', () => {
    expect(contentDisposition('Grüße.txt')).toBe(`attachment; filename="Gr__e.txt"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.txt`);
  });

  it('reads the plain forms other servers send, and nothing from no header', () => {
    expect(fileNameOfContentDisposition('attachment; filename="a \\"b\\".txt"')).toBe('a "b".txt');
    expect(fileNameOfContentDisposition('attachment; filename=bare.txt')).toBe('bare.txt');
    expect(fileNameOfContentDisposition(`attachment; filename*=UTF-8''%E0%A4%A; filename="fallback.txt"`)).toBe('fallback.txt');
    expect(fileNameOfContentDisposition(null)).toBeUndefined();
  });
});
