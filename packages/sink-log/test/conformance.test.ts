// Ensures sink-log keeps the Sink contract (plugin-sdk's conformance check) with real
// files as its peer: refusals, every accepted payload in a published file in order (also
// those dispatched just before stop), counters.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSinkConformance } from '@netifyd/plugin-sdk/testing';
import type { TestContext } from '@netifyd/plugin-sdk/testing';
import factory from '../src/index.js';
import { compareRotatedFiles, parseRotatedFileName } from '../src/file-names.js';
import type { RotatedFile } from '../src/file-names.js';

const LOG_NAME = 'conformance-';

/** Every line of the channel's published files, oldest file first. */
async function publishedLines(directory: string): Promise<string[]> {
  const files = (await readdir(directory))
    .map((name) => parseRotatedFileName(name, LOG_NAME, '.json'))
    .filter((file): file is RotatedFile => file !== undefined)
    .sort(compareRotatedFiles);
  const texts = await Promise.all(files.map((file) => readFile(join(directory, file.name), 'utf8')));
  return texts.flatMap((text) => text.split('\n').filter((line) => line !== ''));
}

describe('sink-log conformance', () => {
  it('passes checkSinkConformance with rotated files in a temp dir as the peer', async () => {
    let directory: string | undefined;
    const report = await checkSinkConformance({
      create: (context) => factory.create(context),
      config: (context: TestContext) => {
        directory = context.paths.volatile;
        return {
          log_path: directory,
          overwrite: false,
          max_file_age_s: 0.2,
          channels: { flows: { log_name: LOG_NAME }, off: { enable: false, log_name: 'off-' } },
        };
      },
      channel: 'flows',
      disabledChannel: 'off',
      received: () => publishedLines(directory as string),
      context: { name: 'sink-log', configFile: 'netify-sink-log.json' },
    });
    expect(report.passed.length).toBeGreaterThanOrEqual(15);
    // Each malformed payload the check sent is counted as an error, nothing else failed.
    const malformed = report.passed.filter((rule) => rule.startsWith('dispatch() of a malformed payload')).length;
    expect(report.stats).toMatchObject({ sent: 5, errors: malformed, queued: 0 });
    expect(report.stats.files_written).toBeGreaterThanOrEqual(2);
  });
});
