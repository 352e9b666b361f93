import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'native-dpi',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
