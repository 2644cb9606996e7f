import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardRouter } from '../../server/http/dashboard.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(dir: string) {
  const app = express();
  app.get('/api/v1/me', (_req, res) => {
    res.status(401).json({ error: { code: 'unauthenticated' } });
  });
  app.use(dashboardRouter(dir));
  server = createServer(app);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the hub serving the dashboard', () => {
  it('serves the built page, its assets and deep links, with a strict content policy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dash-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Triage</title>');
    await writeFile(join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
    const url = await serve(dir);

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Triage</title>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');

    const asset = await fetch(`${url}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');

    const deep = await fetch(`${url}/patients/p_1`, { headers: { accept: 'text/html' } });
    expect(await deep.text()).toContain('<title>Triage</title>');

    const api = await fetch(`${url}/api/v1/me`);
    expect(api.status).toBe(401);
  });

  it('says how to build the dashboard when it has not been built', async () => {
    const url = await serve(await mkdtemp(join(tmpdir(), 'dash-')));
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build:dashboard');
  });
});
