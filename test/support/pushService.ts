// A push service in the test process (HTTPS on loopback with a certificate made for it, which
// this process trusts), that receives what the hub's Web Push notifier sends and decrypts it as
// a browser would (RFC 8291, with http_ece, the reference implementation): never a mock of the
// protocol. Each subscription it makes has its own P-256 key pair and auth secret.
import { execFile } from 'node:child_process';
import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https, { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ece from 'http_ece';

export interface ReceivedPush {
  subscription: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface TestSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** The payload of a push sent to this subscription, decrypted. */
  decrypt(body: Buffer): string;
}

export interface TestPushService {
  received: ReceivedPush[];
  /** A browser's subscription; `status` is what the service answers pushes to it. */
  subscribe(status?: number): TestSubscription;
  close(): Promise<void>;
}

export async function startPushService(): Promise<TestPushService> {
  const dir = await mkdtemp(join(tmpdir(), 'push-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-days', '1', '-subj', '/CN=push.test', '-addext', 'subjectAltName=IP:127.0.0.1'],
    ...['-keyout', keyFile, '-out', certFile],
  ]);
  const cert = await readFile(certFile);
  const key = await readFile(keyFile);
  await rm(dir, { recursive: true, force: true });
  // what a real push service's certificate is to the hub: trusted (this process only)
  const trusted = https.globalAgent.options.ca;
  https.globalAgent.options.ca = [cert];

  const received: ReceivedPush[] = [];
  const statuses = new Map<string, number>();
  const server = createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const subscription = (req.url ?? '').replace(/^\/push\//, '');
      received.push({ subscription, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(statuses.get(subscription) ?? 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    received,
    subscribe(status = 201) {
      const id = randomBytes(8).toString('hex');
      statuses.set(id, status);
      const ecdh: ECDH = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      return {
        endpoint: `https://127.0.0.1:${port}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth },
        decrypt: (body) =>
          ece
            .decrypt(body, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth })
            .toString(),
      };
    },
    async close() {
      https.globalAgent.options.ca = trusted;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
