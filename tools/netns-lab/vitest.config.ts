import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'netns-lab',
    include: ['test/**/*.test.ts'],
    // Traffic scripts run as separate Node processes from dist/, so build before testing.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
