// Starting in named steps (server/boot.ts): the order steps run and closers unwind in, a failed
// start, a closer that fails or hangs, and the timers' stop (server/ops/every.ts).
import { describe, expect, it, vi } from 'vitest';
import { createBoot, startInSteps } from '../../server/boot.js';
import { every } from '../../server/ops/every.js';
import { captureLog } from '../support/captureLog.js';

describe('starting in steps', () => {
  it('runs the steps in order, each logged by name and timed', async () => {
    const { lines, log } = captureLog();
    const ran: string[] = [];
    const made = await startInSteps(log, async (step) => {
      const a = await step('a', () => (ran.push('a'), 1));
      const b = await step('b', async () => (ran.push('b'), a + 1));
      return { a, b };
    });
    expect(made).toEqual({ a: 1, b: 2 });
    expect(ran).toEqual(['a', 'b']);
    expect(lines.map((l) => [l.msg, l.step])).toEqual([
      ['starting step', 'a'],
      ['step started', 'a'],
      ['starting step', 'b'],
      ['step started', 'b'],
    ]);
    expect(lines.filter((l) => l.msg === 'step started').every((l) => l.level === 20)).toBe(true);
    expect(lines.every((l) => l.msg !== 'step started' || typeof l.ms === 'number')).toBe(true);
  });

  it('unwinds drains newest first, then closes newest first', async () => {
    const { log } = captureLog();
    const boot = createBoot(log);
    const ran: string[] = [];
    const note = (s: string) => () => void ran.push(s);
    await boot.step('store', (s) => s.close(note('store')));
    await boot.step('rules', (s) => {
      s.drain(note('rules idle'));
      s.close(note('rules close'));
    });
    await boot.step('ingest', (s) => s.drain(note('ingest drain')));
    await boot.step('http', (s) => s.close(note('http')));
    await boot.step('intake', (s) => s.drain(note('stop intake')));
    expect(boot.order()).toEqual([
      'intake:drain',
      'ingest:drain',
      'rules:drain',
      'http:close',
      'rules:close',
      'store:close',
    ]);
    await boot.unwind();
    expect(ran).toEqual([
      'stop intake',
      'ingest drain',
      'rules idle',
      'http',
      'rules close',
      'store',
    ]);
  });

  it('unwinds what the steps before a failing one started, in reverse, and throws its error', async () => {
    const { lines, log } = captureLog();
    const ran: string[] = [];
    const boom = new Error('port taken');
    await expect(
      startInSteps(log, async (step) => {
        await step('store', (s) => s.close(() => void ran.push('store')));
        await step('broker', (s) => {
          s.drain(() => void ran.push('broker drain'));
          s.close(() => void ran.push('broker'));
        });
        await step('http', (s) => {
          // what a step made before it failed is undone too
          s.close(() => void ran.push('http, half made'));
          throw boom;
        });
        await step('never', () => void ran.push('never'));
      }),
    ).rejects.toBe(boom);
    expect(ran).toEqual(['broker drain', 'http, half made', 'broker', 'store']);
    const failed = lines.find((l) => l.msg === 'step failed')!;
    expect(failed).toMatchObject({ level: 50, step: 'http', err: { message: 'port taken' } });
    expect(failed.err!.stack).toMatch(/boot\.test\.ts/);
    expect(lines.some((l) => l.step === 'never')).toBe(false);
  });

  it('stops once: a second stop() waits for the first and runs nothing again', async () => {
    const { log } = captureLog();
    const close = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    const hub = await startInSteps(log, async (step, stop) => {
      await step('store', (s) => s.close(close));
      return { stop };
    });
    const first = hub.stop();
    const second = hub.stop();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    await hub.stop();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('goes on past a closer that throws, logs it with its stack, and rejects with it at the end', async () => {
    const { lines, log } = captureLog();
    const boot = createBoot(log);
    const ran: string[] = [];
    const boom = new Error('socket would not close');
    await boot.step('store', (s) => s.close(() => void ran.push('store')));
    await boot.step('admin socket', (s) =>
      s.close(() => {
        throw boom;
      }),
    );
    await boot.step('intake', (s) => s.drain(async () => Promise.reject(new Error('late'))));
    await boot.step('http', (s) => s.close(() => void ran.push('http')));
    const stopped = await boot.unwind().catch((e: unknown) => e);
    expect(ran).toEqual(['http', 'store']);
    expect(stopped).toBeInstanceOf(AggregateError);
    expect((stopped as AggregateError).errors).toEqual([new Error('late'), boom]);
    const failures = lines.filter((l) => l.msg === 'closing failed; going on');
    expect(failures.map((l) => [l.level, l.step, l.phase, l.err?.message])).toEqual([
      [50, 'intake', 'drain', 'late'],
      [50, 'admin socket', 'close', 'socket would not close'],
    ]);
    expect(failures[1]!.err!.stack).toMatch(/boot\.test\.ts/);
  });

  it('rejects with the one failure as it was thrown', async () => {
    const { log } = captureLog();
    const boot = createBoot(log);
    const boom = new Error('db close');
    await boot.step('store', (s) => s.close(() => Promise.reject(boom)));
    await expect(boot.unwind()).rejects.toBe(boom);
  });

  it('stops waiting for a closer at its limit, logs it and goes on', async () => {
    const { lines, log } = captureLog();
    const boot = createBoot(log);
    const ran: string[] = [];
    await boot.step('store', (s) => s.close(() => void ran.push('store')));
    await boot.step('realtime', (s) =>
      s.close(() => new Promise(() => {}), { label: 'adapter pool', limitMs: 50 }),
    );
    const started = Date.now();
    await boot.unwind();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ran).toEqual(['store']);
    expect(lines.find((l) => l.msg.startsWith('closer took too long'))).toMatchObject({
      level: 40,
      step: 'realtime',
      closer: 'adapter pool',
    });
  });

  it('refuses a step once unwinding has begun', async () => {
    const { log } = captureLog();
    const boot = createBoot(log);
    await boot.unwind();
    await expect(boot.step('late', () => 1)).rejects.toThrow(/already being undone/);
  });
});

describe('a timer of the hub (every)', () => {
  it('runs on its interval, and its stop waits for the runs going', async () => {
    const finishes: (() => void)[] = [];
    const stop = every(
      10,
      () => new Promise<void>((r) => finishes.push(r)),
      () => {},
    );
    await vi.waitFor(() => expect(finishes.length).toBeGreaterThan(0), {
      interval: 5,
      timeout: 5_000,
    });
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    const runs = finishes.length;
    await new Promise((r) => setTimeout(r, 40));
    expect(stopped).toBe(false);
    expect(finishes).toHaveLength(runs); // cleared: no run after stop
    for (const finish of finishes) finish();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('runs at once with `now`, and hands a failure to onError', async () => {
    const errors: unknown[] = [];
    const boom = new Error('db gone');
    const stop = every(
      60_000,
      () => Promise.reject(boom),
      (err) => errors.push(err),
      { now: true },
    );
    await stop();
    expect(errors).toEqual([boom]);
  });
});
