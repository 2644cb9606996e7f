import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirBusy, lockDataDir } from '../../server/store/dataDirLock.js';

describe('the embedded database folder', () => {
  it('has one owner at a time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const release = await lockDataDir(dir);
    expect(await readFile(join(dir, 'hub.lock'), 'utf8')).toBe(String(process.pid));
    await expect(lockDataDir(dir)).rejects.toThrow(DataDirBusy);
    await release();
    const again = await lockDataDir(dir);
    await again();
  });

  it('is taken over from a process that is gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    await writeFile(join(dir, 'hub.lock'), '2147483646'); // no such process
    const release = await lockDataDir(dir);
    expect(await readFile(join(dir, 'hub.lock'), 'utf8')).toBe(String(process.pid));
    await release();
  });
});
