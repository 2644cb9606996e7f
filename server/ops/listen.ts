import { createServer, type Server } from 'node:net';

/** Listens, turning "address in use" into one line that names the setting to change. */
export function listen(
  server: Server,
  port: number,
  host: string,
  setting: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(
          new Error(
            `${setting}: port ${port} on ${host} is already in use by another program; choose another port with ${setting}`,
          ),
        );
      } else if (err.code === 'EACCES') {
        reject(new Error(`${setting}: not allowed to listen on port ${port} on ${host}`));
      } else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Fails fast, before slow start-up work, when a fixed port is taken. */
export async function assertPortFree(port: number, host: string, setting: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await listen(probe, port, host, setting);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
