import { describe, expect, it } from 'vitest';
import { generateSecret, hashSecret, verifySecret } from '../../server/auth/secrets.js';
import { splitStatements } from '../../server/store/migrate.js';

describe('device secrets', () => {
  it('are stored as a salted scrypt hash that verifies only the right secret', async () => {
    const secret = generateSecret();
    const hash = await hashSecret(secret);
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain(secret);
    expect(await verifySecret(secret, hash)).toBe(true);
    expect(await verifySecret(`${secret}x`, hash)).toBe(false);
    expect(await hashSecret(secret)).not.toBe(hash);
  });

  it('are long and random', () => {
    const a = generateSecret();
    expect(a.length).toBeGreaterThanOrEqual(43);
    expect(a).not.toBe(generateSecret());
  });

  it('never verify against a malformed stored hash', async () => {
    expect(await verifySecret('x', 'plain-text')).toBe(false);
  });
});

describe('migration scripts', () => {
  it('split into statements at line-ending semicolons, without comments', () => {
    expect(splitStatements('-- a table\nCREATE TABLE a (x int);\n\nSELECT 1;\n')).toEqual([
      'CREATE TABLE a (x int)',
      'SELECT 1',
    ]);
  });
});
