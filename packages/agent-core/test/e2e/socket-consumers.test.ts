// Ensures local consumers get what netifyd users expect from its socket: a client that reads
// the length header and then N bytes, a line reader (`nc -U … | jq`), over Unix and TCP,
// each get agent_hello first and then exactly the messages sink-log wrote in the same run;
// msgpack and gzip channels decode to the same messages. The agent replays the project's
// own capture at capture pace; a copy with a 2 s pause after its first packet (an ARP
// request, which makes no flow) lets the clients connect before any flow exists.
import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { unpackMultiple } from 'msgpackr';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentInstall } from './support/agent-install.js';
import { AgentProcess, killLeftoverAgents } from './support/agent-process.js';
import { replayFlows } from './support/flow-lifecycle.js';
import { SAMPLE_LAB } from './support/paths.js';
import { writeWithLeadingGap } from './support/pcap-gap.js';
import { LengthClient, LineClient, throughJq, type Address } from './support/stream-clients.js';
import { waitFor } from './support/wait.js';

const TYPES = ['stream-flows', 'stream-stats'];
const CHANNELS = {
  json: { format: 'json', compressor: 'none' },
  msgpack: { format: 'msgpack', compressor: 'none' },
  gz: { format: 'json', compressor: 'gz' },
  'msgpack-gz': { format: 'msgpack', compressor: 'gz' },
} as const;
type Variant = keyof typeof CHANNELS;

function procCoreConfig() {
  const channels = (names: string[]) => Object.fromEntries(names.map((name) => [name, { types: TYPES, ...CHANNELS[(name.replace(/^(log|unix|tcp)-/, '') as Variant)] }]));
  return {
    format: 'json',
    compressor: 'none',
    sinks: {
      'sink-log': channels(Object.keys(CHANNELS).map((variant) => `log-${variant}`)),
      'sink-socket': channels([...Object.keys(CHANNELS).map((variant) => `unix-${variant}`), 'tcp-json']),
    },
  };
}

describe('socket consumers and sink-log in one run (sample-lab.pcap replayed)', () => {
  const install = new AgentInstall({
    updateIntervalS: 1,
    procCore: procCoreConfig(),
    sinkLog: { overwrite: false, channels: Object.fromEntries(Object.keys(CHANNELS).map((variant) => [`log-${variant}`, { log_name: `flows-${variant}-` }])) },
  });
  const socketPath = (variant: Variant) => install.path(`${variant}.sock`);
  install.addPlugin('sink-socket', {
    channels: {
      ...Object.fromEntries(Object.keys(CHANNELS).map((variant) => [`unix-${variant}`, { bind_address: `unix://${socketPath(variant as Variant)}` }])),
      'tcp-json': { bind_address: 'tcp://127.0.0.1:0' },
    },
  });
  afterAll(async () => {
    await killLeftoverAgents();
    install.cleanup();
  });

  it('length-reading, line-reading and jq clients over Unix and TCP get hello, then what sink-log wrote; msgpack and gzip round-trip', async () => {
    const capture = install.path('sample-lab-gap.pcap');
    writeWithLeadingGap(SAMPLE_LAB, capture, 2);
    const agent = new AgentProcess(['-c', install.conf, '-I', capture, '-r']);
    const clients: Array<LengthClient | LineClient> = [];
    try {
      const tcpPort = Number((await agent.waitForStderr(/listening on tcp:\/\/127\.0\.0\.1:(\d+)/, 10_000))[1]);
      await waitFor('the Unix sockets', () => (Object.keys(CHANNELS) as Variant[]).every((variant) => existsSync(socketPath(variant))) || undefined, 5_000, 10);
      const unix = (variant: Variant): Address => ({ path: socketPath(variant) });
      const lengthUnix = new LengthClient(unix('json'));
      const lengthTcp = new LengthClient({ host: '127.0.0.1', port: tcpPort });
      const lines = new LineClient(unix('json'));
      const msgpack = new LengthClient(unix('msgpack'), { header: 'msgpack', payload: 'msgpack', gzip: false });
      const gz = new LengthClient(unix('gz'), { header: 'json', payload: 'json', gzip: true });
      const msgpackGz = new LengthClient(unix('msgpack-gz'), { header: 'msgpack', payload: 'msgpack', gzip: true });
      clients.push(lengthUnix, lengthTcp, lines, msgpack, gz, msgpackGz);
      await Promise.all(clients.map((client) => client.connected()));

      const exit = await agent.wait(30_000);
      expect(exit.code, exit.stderr).toBe(0);
      await Promise.all(clients.map((client) => client.done(5_000)));
      for (const client of clients) expect(client.problems).toEqual([]);

      // What sink-log wrote is the reference: hello, then every flow from its flow message to its purge.
      const logged = install.jsonLines('flows-json-');
      expect(logged[0]?.type).toBe('agent_hello');
      const { flows, problems } = replayFlows(logged);
      expect(problems).toEqual([]);
      expect(flows).toHaveLength(12);
      const expected = logged.slice(1);

      for (const [name, received] of [
        ['unix length reader', lengthUnix.messages],
        ['tcp length reader', lengthTcp.messages],
        ['unix line reader', lines.messages()],
        ['msgpack', msgpack.messages],
        ['gzip json', gz.messages],
        ['msgpack gzip', msgpackGz.messages],
      ] as const) {
        expect(received[0]?.type, name).toBe('agent_hello');
        expect(received.slice(1), name).toEqual(expected);
      }
      expect(lines.problems).toEqual([]);

      const jq = await throughJq(Buffer.concat(lines.raw));
      expect(jq.code, jq.stderr).toBe(0);
      expect(jq.lines).toHaveLength(2 * (expected.length + 1));

      // The same messages in sink-log's binary and compressed files.
      const file = (variant: Variant, ext: string) => {
        const files = install.channelFiles(`flows-${variant}-`, ext);
        expect(files.length, `${variant} files`).toBeGreaterThan(0);
        return Buffer.concat(files);
      };
      const jsonLines = (data: Buffer) => data.toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
      expect(unpackMultiple(file('msgpack', '.msgpack'))).toEqual(logged);
      expect(jsonLines(gunzipSync(file('gz', '.json.gz')))).toEqual(logged);
      expect(unpackMultiple(gunzipSync(file('msgpack-gz', '.msgpack.gz')))).toEqual(logged);
    } finally {
      for (const client of clients) client.destroy();
      agent.signal('SIGKILL');
    }
  }, 60_000);
});
