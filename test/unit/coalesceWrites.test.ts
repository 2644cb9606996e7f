import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWrites } from '../../server/broker/coalesce.js';

// A real TCP connection on loopback: what the broker receives is what matters.
async function socketPair(): Promise<{ client: Socket; server: Socket; close(): void }> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const accepted = once(srv, 'connection') as Promise<[Socket]>;
  const client = connect((srv.address() as AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  const [server] = await accepted;
  return {
    client,
    server,
    close() {
      client.destroy();
      server.destroy();
      srv.close();
    },
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('writes to the broker, gathered per tick', () => {
  let close = () => {};
  afterEach(() => close());

  it('sends what one tick writes as one write, bytes in order, strings encoded', async () => {
    const pair = await socketPair();
    close = pair.close;
    const writes: Buffer[] = [];
    const realWrite = pair.client.write.bind(pair.client);
    pair.client.write = ((chunk: Buffer, ...rest: never[]) => {
      writes.push(Buffer.from(chunk));
      return realWrite(chunk, ...rest);
    }) as Socket['write'];
    coalesceWrites(pair.client);

    const received: Buffer[] = [];
    pair.server.on('data', (d: Buffer) => received.push(d));
    pair.client.write(Buffer.from([0x30, 0x05]));
    pair.client.write('åäö', 'utf8');
    pair.client.write(Buffer.from('!'));
    await tick();
    pair.client.write('next');
    await tick();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(writes.map((w) => w.toString('hex'))).toEqual([
      Buffer.concat([Buffer.from([0x30, 0x05]), Buffer.from('åäö!')]).toString('hex'),
      Buffer.from('next').toString('hex'),
    ]);
    expect(Buffer.concat(received).toString('latin1')).toBe(
      Buffer.concat([Buffer.from([0x30, 0x05]), Buffer.from('åäö!next')]).toString('latin1'),
    );
  });

  it('calls each write callback once the gathered write is done, and flushes before end', async () => {
    const pair = await socketPair();
    close = pair.close;
    coalesceWrites(pair.client);
    const done: string[] = [];
    const received: Buffer[] = [];
    pair.server.on('data', (d: Buffer) => received.push(d));
    pair.client.write('a', () => done.push('a'));
    pair.client.write(Buffer.from('b'), () => done.push('b'));
    const ended = new Promise<void>((resolve) => pair.client.end(() => resolve()));
    await ended;
    await once(pair.server, 'end');
    expect(done).toEqual(['a', 'b']);
    expect(Buffer.concat(received).toString()).toBe('ab');
  });

  it('answers the callbacks with an error when the connection closed before the tick', async () => {
    const pair = await socketPair();
    close = pair.close;
    coalesceWrites(pair.client);
    const errors: (Error | null | undefined)[] = [];
    pair.client.write('lost', (err) => errors.push(err));
    pair.client.destroy();
    await tick();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/closed/);
  });

  it('offers no cork, so that mqtt-packet does not cork the socket for a tick per packet', async () => {
    const pair = await socketPair();
    close = pair.close;
    coalesceWrites(pair.client);
    // mqtt-packet's writeToStream: `if (stream.cork) { stream.cork(); nextTick(uncork) }`
    expect((pair.client as { cork?: unknown }).cork).toBeUndefined();
    const received: Buffer[] = [];
    pair.server.on('data', (d: Buffer) => received.push(d));
    pair.client.write(Buffer.from([0x40, 0x02, 0x00, 0x07]));
    expect(pair.client.writableCorked).toBe(0);
    await tick();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Buffer.concat(received).toString('hex')).toBe('40020007');
  });
});
