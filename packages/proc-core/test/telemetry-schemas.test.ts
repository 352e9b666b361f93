// Ensures every message proc-core emits for realistic agent events validates against the
// matching Netify v5 telemetry schema (ajv, draft 2020-12), in JSON and in msgpack.
import { afterEach, describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { decodePayload, startPipeline, type Pipeline } from './harness.js';
import {
  detectionUpdated,
  dpiComplete,
  flowExpire,
  flowNew,
  githubTlsFlow,
  kankanHttpFlow,
  ntopIpv6Flow,
  purgeEntry,
  sshFlow,
  statsEntry,
  tick,
} from './sample-events.js';
import { TELEMETRY_SCHEMA_FILES, compileV5Schema } from './v5-schemas.js';

let pipeline: Pipeline | undefined;
afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
});

const validators = new Map<string, ValidateFunction>();
function validatorFor(type: string): ValidateFunction {
  const file = TELEMETRY_SCHEMA_FILES[type];
  if (!file) throw new Error(`no v5 telemetry schema is mapped for message type ${type}`);
  let validate = validators.get(file);
  if (!validate) validators.set(file, (validate = compileV5Schema(file)));
  return validate;
}

/** Four flows through a whole life each, over two ticks, on a LAN and a WAN interface. */
function runCaptureDay(proc: Pipeline['proc']): void {
  const wan = { interface: 'eth1', internal: false };
  const flows = [githubTlsFlow(), ntopIpv6Flow(), kankanHttpFlow(), sshFlow()];
  for (const flow of flows) {
    proc.onEvent(flow === flows[3] ? flowNew(flow, wan) : flowNew(flow));
    proc.onEvent(detectionUpdated(flow));
    proc.onEvent(dpiComplete(flow));
  }
  proc.onEvent(tick({ flowStats: flows.map((flow) => statsEntry(flow)) }));
  for (const flow of flows) proc.onEvent(flowExpire(flow, 'closed'));
  proc.onEvent(
    tick({
      purged: flows.map((flow, i) => purgeEntry(flow, i % 2 ? 'closed' : 'expired', { local_bytes: 0, other_bytes: 0 })),
      final: true,
    }),
  );
}

describe('v5 telemetry schemas', () => {
  it.each([
    ['json', 'none'],
    ['msgpack', 'gz'],
  ])('every %s/%s message validates against its schema', async (format, compressor) => {
    pipeline = await startPipeline({
      procConfig: {
        format,
        compressor,
        sinks: { 'sink-a': { all: { types: ['stream-flows', 'stream-stats', 'stream-endpoints', 'legacy-socket'] } } },
      },
      sinks: { 'sink-a': { channels: { all: {} } } },
    });
    runCaptureDay(pipeline.proc);
    const payloads = pipeline.sink('sink-a').payloads('all');
    const seen = new Set<string>();
    for (const payload of payloads.slice(1)) {
      const message = decodePayload(payload);
      expect(message.type).toBe(payload.message);
      const validate = validatorFor(payload.message);
      expect(validate(message), `${payload.message}: ${JSON.stringify(validate.errors)}`).toBe(true);
      seen.add(payload.message);
    }
    expect([...seen].sort()).toEqual(
      ['agent_status', 'endpoints', 'flow', 'flow_dpi_complete', 'flow_dpi_update', 'flow_purge', 'flow_stats', 'global_stats', 'interface_stats', 'interfaces'].sort(),
    );
    expect(payloads.length).toBe(1 + 4 * 4 + 2 * 5 + 4 + 4);
  });

  it('the schemas catch a message missing a required key (so the check above means something)', () => {
    const { flow } = statsEntry(githubTlsFlow());
    const { digest_prev: _dropped, ...withoutDigestPrev } = flow;
    expect(validatorFor('flow_stats')({ type: 'flow_stats', interface: 'offline0', internal: true, flow: withoutDigestPrev })).toBe(false);
    expect(validatorFor('global_stats')({ type: 'global_stats', stats: {} })).toBe(false);
  });
});
