import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// PortAudio enumerates ALSA devices; this config gives CI a quiet, virtual sound card.
const env = { ALSA_CONFIG_PATH: resolve('tests/support/alsa/asound.conf') };

// Two projects: `unit` runs services, contract and DSP tests under Node with real
// parts in temp folders; `browser` drives Debian's Chromium against the built app.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          env,
          environment: 'node',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/integration/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'browser',
          env,
          environment: 'node',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
