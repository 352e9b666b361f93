import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'tools/compare-ndpi', 'tools/bench', 'tools/netns-lab', 'examples/aggregate', 'examples/sink-example'],
  },
});
