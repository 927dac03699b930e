import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/main/paths';

interface CruiseResult {
  summary: { violations: { rule: { name: string }; from: string; to: string }[]; error: number };
}

function cruise(folder: string): CruiseResult {
  const bin = join(PACKAGE_ROOT, 'node_modules', '.bin', 'depcruise');
  try {
    return JSON.parse(execFileSync(bin, [folder, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: PACKAGE_ROOT, encoding: 'utf8' }));
  } catch (error) {
    // depcruise exits non-zero when it finds violations; its JSON report is still on stdout.
    return JSON.parse((error as { stdout: string }).stdout);
  }
}

describe('the rule of direction', () => {
  it('holds for the app itself', () => {
    const result = cruise('src');
    expect(result.summary.violations).toEqual([]);
  });

  it('fails on every kind of wrong import (the fixture breaks each rule once)', () => {
    const broken = new Set(cruise('tests/fixtures/layering/src').summary.violations.map((violation) => `${violation.rule.name} ${violation.from.replace(/^.*\/src\//, '')}`));
    expect(broken).toEqual(
      new Set([
        'shared-imports-no-app-layer shared/bad.ts',
        'renderer-never-imports-main-or-preload renderer/bad.ts',
        'preload-never-imports-main-or-renderer preload/bad.ts',
        'audio-engine-imports-only-shared audio-engine/bad.ts',
        'services-never-import-electron main/services/x/x.ts',
        'only-main-electron-and-preload-import-electron main/services/x/x.ts',
      ]),
    );
  });
});
