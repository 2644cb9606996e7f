// A TCP proxy between the hub and PostgreSQL that a test can cut and restore: a real database
// behind a network that fails, as it does in production.
import { createServer, connect, type Socket } from 'node:net';

export interface Proxy {
  port: number;
  /** Drops every connection and refuses new ones. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startProxy(targetHost: string, targetPort: number): Promise<Proxy> {
  let up = true;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (!up) return client.destroy();
    const upstream = connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      up = true;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A proxy, and the URL of the server behind it rewritten to go through it. */
export type UrlProxy = Proxy & { url: string };

/** A proxy in front of the server a URL names. */
export async function proxyFor(url: string, defaultPort: number): Promise<UrlProxy> {
  const target = new URL(url);
  const proxy = await startProxy(target.hostname, Number(target.port || defaultPort));
  target.port = String(proxy.port);
  return { ...proxy, url: target.toString() };
}
