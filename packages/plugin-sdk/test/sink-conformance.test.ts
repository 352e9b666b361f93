// Ensures checkSinkConformance passes a sink that keeps the Sink contract against a real
// peer (a file), and names the rule when a deliberately broken sink (fake) violates one.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNetifydError } from '../src/index.js';
import { checkSinkConformance, createTempDir } from '../src/testing/index.js';
import type { SinkConformanceOptions, TempDir, TestContext } from '../src/testing/index.js';
import { lineFileSink } from './line-file-sink.js';
import type { Breakage } from './line-file-sink.js';

let temp: TempDir;
let peerFile: string;
beforeEach(async () => {
  temp = await createTempDir('sdk-conformance');
  peerFile = join(temp.path, 'peer.lines');
});
afterEach(() => temp.remove());

async function peerLines(): Promise<string[]> {
  const text = await readFile(peerFile, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '');
}

function options(breakage: Breakage = {}, extra: Partial<SinkConformanceOptions> = {}): SinkConformanceOptions {
  return {
    create: lineFileSink(peerFile, breakage),
    config: { channels: ['flows', 'off'] },
    channel: 'flows',
    received: peerLines,
    timeoutMs: 5000,
    ...extra,
  };
}

async function violation(breakage: Breakage, extra: Partial<SinkConformanceOptions> = {}): Promise<string> {
  const error: unknown = await checkSinkConformance(options(breakage, { timeoutMs: 800, ...extra })).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isNetifydError(error), 'the check must throw a NetifydError').toBe(true);
  expect((error as { code: string }).code).toBe('ERR_SINK_CONFORMANCE');
  return (error as Error).message;
}

describe('checkSinkConformance', () => {
  it('passes a sink that keeps the contract, and the peer holds exactly the accepted payloads', async () => {
    const report = await checkSinkConformance(options());
    expect(report.passed).toEqual(
      expect.arrayContaining([
        'channels() after init lists the configured channel',
        'dispatch() before start() returns false',
        'dispatch() to an unknown channel returns false',
        'dispatch() of a malformed payload (data is a string) returns false',
        'dispatch() of a malformed payload (null) returns false',
        'what was accepted while running reaches the peer, in order',
        'what was accepted when dispatched just before stop() reaches the peer, in order',
        'dispatch() after stop() returns false',
        'a second stop() resolves',
        'nothing refused reaches the peer',
      ]),
    );
    expect(report.stats).toMatchObject({ queued: 5, sent: 5, dropped: 0, errors: 0 });
    const lines = await peerLines();
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => (JSON.parse(line) as { type: string }).type === 'flow')).toBe(true);
  });

  it('checks a disabled channel when told which one', async () => {
    const report = await checkSinkConformance(options({}, { config: { channels: ['flows'] }, disabledChannel: 'off' }));
    expect(report.passed).toContain('dispatch() to a disabled channel returns false');
  });

  it('removes the temp state dirs of its context, also when the sink fails', async () => {
    let seen: string | undefined;
    const config = (context: TestContext) => {
      seen = context.paths.volatile;
      expect(existsSync(seen)).toBe(true);
      return { channels: ['flows'] };
    };
    await checkSinkConformance(options({}, { config }));
    expect(seen !== undefined && !existsSync(seen)).toBe(true);
    await violation({ losesPayloads: true }, { config });
    expect(existsSync(seen as string)).toBe(false);
  });

  it('calls the ready hook after start, before anything must arrive', async () => {
    const order: string[] = [];
    await checkSinkConformance(
      options({}, { ready: async (sink) => void order.push(`ready:${sink.stats().queued}`), received: async () => (order.push('received'), peerLines()) }),
    );
    expect(order[0]).toBe('ready:0');
  });

  describe('names the broken rule of a deliberately broken sink (fake)', () => {
    const cases: [string, Breakage, RegExp][] = [
      ['init rejects', { initRejects: true }, /init\(config\) resolves: init refused on purpose/],
      ['accepts before start', { acceptsBeforeStart: true }, /dispatch\(\) before start\(\) returns false: dispatch\("flows", …\) returned true/],
      ['accepts any channel', { acceptsAnyChannel: true }, /unknown channel returns false/],
      ['throws on a malformed payload', { throwsOnMalformed: true }, /malformed payload \(data is a string\) returns false: threw TypeError/],
      ['NaN counter', { nanCounter: true }, /stats\(\) after init .*"sent" must be a finite number >= 0 \(got NaN\)/],
      ['missing errors counter', { missingErrorsCounter: true }, /"errors" must be a finite number >= 0 \(got undefined\)/],
      ['loses payloads', { losesPayloads: true }, /accepted while running reaches the peer, in order: 0 of 3 arrived within 800 ms/],
      ['out of order', { outOfOrder: true }, /accepted while running reaches the peer, in order: 1 of 3 arrived/],
      ['does not count sent', { uncountedSent: true }, /stats\(\)\.sent counts what reached the peer: sent is 0/],
      ['drops its queue at stop', { dropsQueueAtStop: true }, /when dispatched just before stop\(\) reaches the peer, in order: 3 of 5 arrived/],
      ['accepts after stop', { acceptsAfterStop: true }, /dispatch\(\) after stop\(\) returns false/],
      ['second stop rejects', { secondStopRejects: true }, /a second stop\(\) resolves: already stopped/],
      ['stop never resolves', { stopNeverResolves: true }, /stop\(\) resolves: did not settle within 800 ms/],
    ];
    for (const [name, breakage, expected] of cases) {
      it(name, async () => {
        expect(await violation(breakage)).toMatch(expected);
      });
    }

    it('delivers a payload it refused', async () => {
      expect(await violation({ deliversRefused: true })).toMatch(/nothing refused reaches the peer: the peer received \{"type":"flow","conformance":"refused-/);
    });

    it('a received() that fails', async () => {
      expect(
        await violation({}, {
          received: () => {
            throw new Error('peer gone');
          },
        }),
      ).toMatch(/received\(\) failed: peer gone/);
    });
  });
});
