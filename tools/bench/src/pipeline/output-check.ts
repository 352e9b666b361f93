import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unpackMultiple } from 'msgpackr';
import { BenchError } from '../errors.js';
import type { PipelineEncoding, PipelineInstall } from './pipeline-install.js';

/** What one agent run delivered to disk, counted by reading every file back. */
export interface DeliveredOutput {
  /** Payloads in the published files (one message each). */
  payloads: number;
  bytes: number;
  files: number;
  /** Messages by `type`. */
  messages: Record<string, number>;
}

/** Counters of the last `agent_status` the agent wrote (status.json, at the final tick). */
interface PluginCounters {
  [counter: string]: number | string;
}

function extensionOf(encoding: PipelineEncoding): string {
  return `.${encoding.format}${encoding.compressor === 'gz' ? '.gz' : ''}`;
}

function decode(data: Buffer, encoding: PipelineEncoding): unknown[] {
  const raw = encoding.compressor === 'gz' ? gunzipSync(data) : data;
  if (encoding.format === 'msgpack') return raw.byteLength === 0 ? [] : (unpackMultiple(raw) as unknown[]);
  return raw.toString('utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
}

/** Reads back every file sink-log published and counts its messages by type. */
export async function readDelivered(install: PipelineInstall, encoding: PipelineEncoding): Promise<DeliveredOutput> {
  const names = await readdir(install.logDir);
  const leftovers = names.filter((name) => name.startsWith('.'));
  if (leftovers.length > 0) throw new BenchError('ERR_BENCH_OUTPUT', `sink-log left unpublished files in ${install.logDir}: ${leftovers.join(', ')}`);
  const extension = extensionOf(encoding);
  const output: DeliveredOutput = { payloads: 0, bytes: 0, files: 0, messages: {} };
  for (const name of names) {
    if (!name.endsWith(extension)) throw new BenchError('ERR_BENCH_OUTPUT', `unexpected file ${name} in ${install.logDir} (expected *${extension})`);
    const data = await readFile(join(install.logDir, name));
    output.files++;
    output.bytes += data.byteLength;
    for (const message of decode(data, encoding)) {
      const type = String((message as { type?: unknown }).type);
      output.payloads++;
      output.messages[type] = (output.messages[type] ?? 0) + 1;
    }
  }
  return output;
}

async function lastStatus(install: PipelineInstall): Promise<Record<string, PluginCounters>> {
  try {
    const status = JSON.parse(await readFile(install.statusFile, 'utf8')) as { plugins?: Record<string, PluginCounters> };
    return status.plugins ?? {};
  } catch (error) {
    throw new BenchError('ERR_BENCH_OUTPUT', `cannot read the agent's last status ${install.statusFile}: ${(error as Error).message}`);
  }
}

/** The flows and packets of the agent's summary line (`netifyd: N packets, M flows, …`). */
export function summaryFigures(stderr: string): { packets: number; flows: number } | undefined {
  const match = /^netifyd: (\d+) packets, (\d+) flows,/m.exec(stderr);
  return match ? { packets: Number(match[1]), flows: Number(match[2]) } : undefined;
}

/**
 * Throws ERR_BENCH_DROPPED unless the run delivered everything: no warning or error from
 * the agent or its plugins; in the last status no payload refused or dropped, no error in
 * proc-core or sink-log; on disk at least the payloads proc-core had dispatched by then
 * (the final tick's own messages come after that status), and for every flow the agent
 * reported, one `flow`, one `flow_dpi_complete` and one `flow_purge` message.
 */
export async function checkNothingDropped(label: string, install: PipelineInstall, stderr: string, output: DeliveredOutput): Promise<void> {
  const problems: string[] = [];
  const complaints = stderr.split('\n').filter((line) => /^netifyd[^:]*: (warn|error): /.test(line));
  if (complaints.length > 0) problems.push(`the agent logged ${complaints.length} warning(s)/error(s), first: ${complaints[0]}`);
  const plugins = await lastStatus(install);
  const core = plugins['proc-core'] ?? {};
  const sink = plugins['sink-log'] ?? {};
  const nonZero = (where: string, counters: PluginCounters, keys: string[]) => {
    for (const key of keys) if (counters[key] !== 0) problems.push(`${where}.${key} = ${counters[key] ?? 'missing'} in the last status`);
  };
  nonZero('proc-core', core, ['payloads_refused', 'encode_errors', 'events_failed', 'plugin_errors']);
  nonZero('sink-log', sink, ['dropped', 'errors', 'plugin_errors']);
  const dispatched = Number(core.payloads_dispatched);
  if (!(output.payloads >= dispatched)) problems.push(`${output.payloads} payloads on disk, but proc-core had dispatched ${dispatched} by the last status`);
  const summary = summaryFigures(stderr);
  if (!summary) problems.push('the agent printed no summary line');
  else {
    // One purge per flow; one flow and one flow_dpi_complete per detection, and a reused DNS
    // flow that restarts (FORMATS §6.2) is detected more than once.
    const purges = output.messages.flow_purge ?? 0;
    const announced = output.messages.flow ?? 0;
    const completed = output.messages.flow_dpi_complete ?? 0;
    if (purges !== summary.flows) problems.push(`${purges} flow_purge messages on disk for ${summary.flows} flows`);
    if (announced !== completed || announced < summary.flows) {
      problems.push(`${announced} flow and ${completed} flow_dpi_complete messages on disk for ${summary.flows} flows`);
    }
  }
  if (problems.length > 0) {
    throw new BenchError('ERR_BENCH_DROPPED', `${label}: not a valid result, data was lost or refused: ${problems.join('; ')}`);
  }
}
