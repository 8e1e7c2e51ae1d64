/**
 * While the database is away, queries must fail fast (and be answered 503) rather than queue
 * behind postgres.js's reconnect backoff, which grows to 20 s; a connection attempt to a host that
 * does not answer gives up after 10 s instead of 30.
 */
export const outageOptions = {
  backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5) * (0.5 + Math.random() / 2),
  connect_timeout: 10,
};
