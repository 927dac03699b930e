import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { contentTypeOf, resolveStaticFile } from './static-files';

describe('resolveStaticFile', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let root: string;
  beforeAll(() => {
    temp = makeTempDir();
    root = join(temp.path, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'assets', 'app.js'), '');
    writeFileSync(join(temp.path, 'secret.txt'), 'outside');
    symlinkSync(join(temp.path, 'secret.txt'), join(root, 'assets', 'link.js'));
  });
  afterAll(() => temp.remove());

  it('serves index.html for / and files inside the folder', () => {
    expect(resolveStaticFile(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveStaticFile(root, '/assets/app.js?v=2')).toBe(join(root, 'assets', 'app.js'));
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/link.js', '/%00', '/%E0%A4%A', '/assets', '/..\\secret.txt', '/index.html/x', '/assets/app.js/../app.js/x', `/${'a'.repeat(256)}`, `/assets/${'b'.repeat(300)}.js`, `/${'c/'.repeat(600)}`])(
    'refuses %s',
    (path) => {
      expect(resolveStaticFile(root, path)).toBeNull();
    },
  );

  it('names content types', () => {
    expect(contentTypeOf('a/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('a/x.unknown')).toBe('application/octet-stream');
  });
});
