import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'sink-example',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
