/**
 * An Idempotency-Key for a schedule. crypto.randomUUID (the client's default) exists only in
 * secure contexts, and a coordinator on a LAN address over plain HTTP is not one;
 * getRandomValues works everywhere.
 */
export function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
