// One process at a time owns an embedded database folder: PGlite has no locking of its own,
// and two writers would corrupt it. The lock is a file holding the owner's pid; a lock whose
// process is gone is taken over.
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export class DataDirBusy extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`DATA_DIR ${dir} is in use by process ${pid} (a running hub or admin command)`);
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the folder's lock or throws DataDirBusy; returns the release function. */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'hub.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid && alive(pid)) throw new DataDirBusy(dir, pid);
      await rm(path, { force: true }); // left by a process that is gone
    }
  }
  throw new Error(`could not lock DATA_DIR ${dir}`);
}
