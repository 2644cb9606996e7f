import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hubJson } from '../support/cli.js';
import { describeAdminCli } from '../support/cliSuite.js';

describeAdminCli('embedded');

describe('the admin CLI with no hub running', () => {
  it('manages the embedded database in DATA_DIR directly', async () => {
    const env = { DATA_DIR: await mkdtemp(join(tmpdir(), 'hub-')) };
    const org = await hubJson(env, 'org', 'add', '--name', 'Region', '--kind', 'region');
    const unit = await hubJson(env, 'unit', 'add', '--org', org.id!, '--name', 'VC');
    expect(unit.id).toMatch(/^unit_/);
  });

  it('through npm prints exactly one JSON value on stdout', async () => {
    const env = { ...process.env, DATA_DIR: await mkdtemp(join(tmpdir(), 'hub-')) };
    // --silent keeps npm's "> script" banner off stdout (the README's way to script the CLI)
    const { stdout } = await promisify(execFile)(
      'npm',
      [
        'run',
        '--silent',
        'hub',
        '--',
        'org',
        'add',
        '--name',
        'Region Skåne',
        '--kind',
        'region',
        '--json',
      ],
      { env },
    );
    expect(JSON.parse(stdout)).toEqual({ id: expect.stringMatching(/^org_/) });
  });
});
