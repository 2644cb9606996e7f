// The repository carries its own sources (docs/clinical-evidence.md for the clinical ones): a
// clone must be able to follow every reference in it, so no tracked file may point at the
// sibling folder the project was first written beside.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

// Built from parts so that this file does not name them itself.
const OUTSIDE = [['..', 'shared'].join('/'), ['', 'work', 'shared'].join('/')];

// The CI runner starts a TimescaleDB cluster the machine provides beside the clone; it is the
// machine's, not a source the project cites.
const ALLOWED = new Set(['.ci/run']);

const SKIP_DIRS = new Set(['.git', 'node_modules', 'dist', 'test-results', 'coverage']);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : walk(join(dir, e.name));
    return e.isFile() ? [relative(ROOT, join(dir, e.name))] : [];
  });
}

/** The tracked files (git ls-files), or every file outside the skipped folders without git. */
function repositoryFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
    return out.split('\0').filter((f) => f && !f.split('/').includes('node_modules'));
  } catch {
    return walk(ROOT);
  }
}

const isBinary = (bytes: Buffer) => bytes.subarray(0, 8000).includes(0);

describe('the repository is self-contained', () => {
  it('no tracked file points outside the repository for its sources', () => {
    const files = repositoryFiles();
    expect(files).toContain('docs/clinical-evidence.md');
    const offending: string[] = [];
    for (const file of files) {
      if (ALLOWED.has(file)) continue;
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(ROOT, file));
      } catch {
        continue; // tracked but deleted in the working tree
      }
      if (isBinary(bytes)) continue;
      const text = bytes.toString('utf8');
      text.split('\n').forEach((line, i) => {
        if (OUTSIDE.some((o) => line.includes(o)))
          offending.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });
});
