// The running hub's admin endpoint: HTTP over a Unix socket in the data folder, so that only
// users who may read that folder can manage the hub, and the CLI reaches an embedded database
// that the hub process owns.
import { createServer, type Server } from 'node:http';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import express from 'express';
import { DomainError } from '../errors.js';
import { httpError } from '../http/api/errors.js';
import { runCommand, type AdminContext } from './commands/index.js';
import type { Logger } from '../ops/log.js';
import { socketAnswers } from './probe.js';

export async function serveAdminSocket(
  path: string,
  ctx: AdminContext,
  log: Logger,
): Promise<Server> {
  const app = express();
  app.use(express.json({ limit: '64kb' }));
  app.post('/commands/:name', async (req, res) => {
    const name = String(req.params.name).replace(/-/g, ' ');
    try {
      const result = await runCommand(ctx, name, req.body ?? {});
      log.info({ command: name }, 'admin command');
      res.json({ ok: true, result });
    } catch (err) {
      if (err instanceof DomainError) {
        // a refusal: the CLI's own message and exit code; status and body as the staff API's
        const { status, body } = httpError(err);
        res.status(status).json({ ok: false, ...body });
      } else {
        log.error({ command: name, err }, 'admin command failed');
        res.status(500).json({ ok: false, error: { code: 'internal', message: messageOf(err) } });
      }
    }
  });

  await mkdir(dirname(path), { recursive: true });
  if (await socketAnswers(path)) {
    throw new Error(
      `another hub is running with the admin socket ${path} (same DATA_DIR); stop it or set ADMIN_SOCKET`,
    );
  }
  await rm(path, { force: true }); // a socket left by a hub that did not exit cleanly
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return server;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
