// Ensures the sink shown in the root README ("Writing a plugin") is this package's
// index.js, character for character, so the documented example is the tested one.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('sink-example and the README', () => {
  it('the README code block is index.js', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Writing a plugin'));
    const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block, 'a ```js block under "## Writing a plugin"').toBeDefined();
    expect(block).toBe(await readFile(new URL('../index.js', import.meta.url), 'utf8'));
  });
});
