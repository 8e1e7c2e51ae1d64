import { connect, createServer, type Socket } from 'node:net';

/** A load balancer in front of coordinator replicas, as an operator would put one there. */
export interface TcpBalancer {
  readonly url: string;
  /** Closes the listener and every connection through it; safe to call twice. */
  close(): Promise<void>;
}

/**
 * A TCP balancer on a free loopback port: each connection goes to the next backend in turn, and
 * to the one after when a backend refuses (a passive health check, as HAProxy's `redispatch` or
 * nginx's `proxy_next_upstream` do). It knows nothing of the replicas' state: a killed one is
 * found out by its refusals, and the connections that were going through it are cut, which the
 * clients see as a reset, as they would in production.
 */
export async function startTcpBalancer(backendPorts: readonly number[]): Promise<TcpBalancer> {
  const sockets = new Set<Socket>();
  let next = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer({ pauseOnConnect: true }, (client) => {
    track(client);
    client.on('error', () => client.destroy());
    const first = next++;
    const tryBackend = (tried: number) => {
      if (tried === backendPorts.length || client.destroyed) return void client.destroy();
      const upstream = connect(backendPorts[(first + tried) % backendPorts.length]!, '127.0.0.1');
      track(upstream);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        if (!connected) return tryBackend(tried + 1);
        client.destroy();
      });
      upstream.once('close', () => connected && client.destroy());
      client.once('close', () => upstream.destroy());
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
