import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** proc-core's encoding of every channel in one pipeline variant. */
export interface PipelineEncoding {
  format: 'json' | 'msgpack';
  compressor: 'none' | 'gz';
}

/** sink-log's channels: the flow events and the per-tick statistics, as the default profile has them. */
export const PIPELINE_CHANNELS = { flows: 'stream-flows', stats: 'stream-stats' } as const;

/** A throwaway agent install: netifyd.conf, loader files for proc-core and sink-log, their JSON configs. */
export interface PipelineInstall {
  dir: string;
  conf: string;
  logDir: string;
  statusFile: string;
  remove(): Promise<void>;
}

/**
 * Writes the install the pipeline bench runs: capture file → engine → flow model →
 * proc-core (`encoding`) → sink-log, appending to timestamped files (overwrite false) that
 * are never pruned, so every payload can be counted afterwards.
 */
export async function writePipelineInstall(encoding: PipelineEncoding, maxQueueKb?: number): Promise<PipelineInstall> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-pipeline-'));
  const logDir = join(dir, 'log');
  const conf = join(dir, 'netifyd.conf');
  await mkdir(join(dir, 'plugins.d'));
  await mkdir(logDir);
  await writeFile(conf, `[netifyd]\nupdate_interval = 15\npath_state_volatile = ${join(dir, 'run')}\n`);
  for (const name of ['proc-core', 'sink-log']) {
    await writeFile(
      join(dir, 'plugins.d', `10-netify-${name}.conf`),
      `[${name}]\nenable = yes\nplugin_library = @netifyd/${name}\nconf_filename = \${path_state_persistent}/netify-${name}.json\n`,
    );
  }
  const sinks = { 'sink-log': Object.fromEntries(Object.entries(PIPELINE_CHANNELS).map(([channel, type]) => [channel, { types: [type] }])) };
  await writeFile(join(dir, 'netify-proc-core.json'), JSON.stringify({ ...encoding, sinks }, null, 2));
  const channels = Object.fromEntries(Object.keys(PIPELINE_CHANNELS).map((channel) => [channel, { log_name: `netify-${channel}-` }]));
  await writeFile(
    join(dir, 'netify-sink-log.json'),
    JSON.stringify({ overwrite: false, log_path: logDir, max_files: 0, ...(maxQueueKb === undefined ? {} : { max_queue_kb: maxQueueKb }), channels }, null, 2),
  );
  return { dir, conf, logDir, statusFile: join(dir, 'run', 'status.json'), remove: () => rm(dir, { recursive: true, force: true }) };
}
