// Ensures bad input gives one clear error with a stable code that names the file, the
// value and what was expected, and that a capture cut short ends its source with an error.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, EngineError } from '../src/index.js';
import { LINKTYPE, pcapBytes, writePcap } from './helpers/pcap-writer.js';
import { dnsQuery, ethernet, ipv4, udp } from './helpers/packets.js';
import { runCapture } from './helpers/run-engine.js';
import { useTempDir } from './helpers/temp-dir.js';

const tempDir = useTempDir('native-dpi-errors');

function dnsFrame(): Buffer {
  return ethernet(0x0800, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: udp(5000, 53, dnsQuery('example.org')) }));
}

function openError(path: string, filter?: string): EngineError {
  const engine = new Engine();
  try {
    engine.addFileSource({ name: 'x', path, ...(filter ? { filter } : {}) });
  } catch (error) {
    return error as EngineError;
  } finally {
    void engine.close();
  }
  throw new Error('addFileSource did not throw');
}

describe('capture errors', () => {
  it('a file that is not a capture: ERR_CAPTURE_OPEN naming the file', () => {
    const path = join(tempDir(), 'garbage.pcap');
    writeFileSync(path, 'this is not a packet capture, just text\n'.repeat(4));
    const error = openError(path);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.code).toBe('ERR_CAPTURE_OPEN');
    expect(error.message).toContain(`capture file '${path}' cannot be opened`);
    expect(error.message).toMatch(/unknown file format/);
  });

  it('a file truncated inside its header: ERR_CAPTURE_OPEN', () => {
    const path = join(tempDir(), 'short.pcap');
    writeFileSync(path, pcapBytes(LINKTYPE.EN10MB, []).subarray(0, 10));
    const error = openError(path);
    expect(error.code).toBe('ERR_CAPTURE_OPEN');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/truncated/);
  });

  it('a missing file: ERR_CAPTURE_OPEN with the reason', () => {
    const path = join(tempDir(), 'does-not-exist.pcap');
    const error = openError(path);
    expect(error.code).toBe('ERR_CAPTURE_OPEN');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/No such file/);
  });

  it('an unsupported link type: ERR_LINKTYPE naming the file and the type', () => {
    const path = writePcap(join(tempDir(), 'wifi.pcap'), LINKTYPE.IEEE802_11, [{ timeUs: 1e15, data: Buffer.alloc(64) }]);
    const error = openError(path);
    expect(error.code).toBe('ERR_LINKTYPE');
    expect(error.message).toContain(path);
    expect(error.message).toContain('unsupported link type IEEE802_11 (105)');
    expect(error.message).toContain('supported: EN10MB');
  });

  it('an invalid BPF filter: ERR_BPF naming the filter', () => {
    const path = writePcap(join(tempDir(), 'one.pcap'), LINKTYPE.EN10MB, [{ timeUs: 1e15, data: dnsFrame() }]);
    const error = openError(path, 'port not-a-number');
    expect(error.code).toBe('ERR_BPF');
    expect(error.message).toContain("invalid capture filter 'port not-a-number'");
    expect(error.message).toContain(path);
  });

  it('a capture cut inside a packet record: the packets before it count, source_end names the file', async () => {
    const whole = pcapBytes(LINKTYPE.EN10MB, [1, 2, 3].map((i) => ({ timeUs: 1e15 + i, data: dnsFrame() })));
    const path = join(tempDir(), 'cut.pcap');
    writeFileSync(path, whole.subarray(0, whole.length - 20));
    const run = await runCapture(path);
    const end = run.records.find((r) => r.kind === 'source_end');
    expect(end).toMatchObject({ kind: 'source_end', source: 0 });
    expect((end as { error?: string }).error).toMatch(new RegExp(`^capture file '${path}': truncated dump file`));
    expect(run.counters.sources[0]?.totals.raw).toBe(2);
    expect(run.finals).toHaveLength(1);
  });
});

describe('option and state errors', () => {
  it.each([
    [{ detectionThreads: 0 }, 'detectionThreads must be an integer from 1 to 64 (got 0)'],
    [{ maxDetectionPackets: 1.5 }, 'maxDetectionPackets must be an integer from 1 to 65535 (got 1.5)'],
    [{ updateIntervalMs: '15s' }, 'updateIntervalMs must be an integer from 10 to 86400000 (got "15s")'],
    [{ ndpiReaderLimits: 'yes' }, 'ndpiReaderLimits must be a boolean (got "yes")'],
  ])('engine options %j: ERR_INVALID_OPTION', (options, message) => {
    expect(() => new Engine(options as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: `engine option ${message}` }));
  });

  it('a source without a path: ERR_INVALID_OPTION', async () => {
    const engine = new Engine();
    expect(() => engine.addFileSource({ name: 'x' } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: 'file source option path must be a non-empty string (got undefined)' }),
    );
    await engine.close();
  });

  it('adding a source after start, starting twice, whenDone before start: ERR_ENGINE_STATE', async () => {
    const path = writePcap(join(tempDir(), 'state.pcap'), LINKTYPE.EN10MB, [{ timeUs: 1e15, data: dnsFrame() }]);
    const engine = new Engine();
    await expect(engine.whenDone()).rejects.toMatchObject({ code: 'ERR_ENGINE_STATE' });
    engine.addFileSource({ name: 'a', path });
    engine.start(() => undefined);
    expect(() => engine.addFileSource({ name: 'b', path })).toThrow(expect.objectContaining({ code: 'ERR_ENGINE_STATE' }));
    expect(() => engine.start(() => undefined)).toThrow(expect.objectContaining({ code: 'ERR_ENGINE_STATE' }));
    await engine.whenDone();
    await engine.close();
    await engine.close();
    expect(() => engine.counters()).toThrow(expect.objectContaining({ code: 'ERR_ENGINE_STATE' }));
  });
});
