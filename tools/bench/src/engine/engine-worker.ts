// The engine side of the benchmark, as its own process: runs the engine over one capture,
// counts the records it delivers and prints one JSON line, nothing else.
//   node engine-worker.js CAPTURE [DETECTION_THREADS]
import { performance } from 'node:perf_hooks';

interface Batch {
  kind: string;
  sources?: Array<{ counters: Record<string, number> }>;
}

interface EngineLike {
  addFileSource(source: { name: string; path: string }): number;
  start(onBatch: (records: Batch[]) => void): void;
  whenDone(): Promise<void>;
  close(): Promise<void>;
}

export interface EngineWorkerResult {
  /** Sum of the `raw` packet counter over every tick. */
  packets: number;
  records: number;
  flows: number;
  /** Engine construction to whenDone(), ms. */
  elapsedMs: number;
}

async function main(): Promise<void> {
  const [path, threads] = process.argv.slice(2);
  if (path === undefined) throw new Error('usage: engine-worker CAPTURE [DETECTION_THREADS]');
  const { Engine } = (await import('@netifyd/native-dpi')) as unknown as { Engine: new (options?: object) => EngineLike };
  const started = performance.now();
  const engine = new Engine(threads === undefined ? {} : { detectionThreads: Number(threads) });
  engine.addFileSource({ name: 'bench', path });
  const result: EngineWorkerResult = { packets: 0, records: 0, flows: 0, elapsedMs: 0 };
  engine.start((records) => {
    result.records += records.length;
    for (const record of records) {
      if (record.kind === 'new') result.flows++;
      else if (record.kind === 'tick') for (const source of record.sources ?? []) result.packets += source.counters.raw ?? 0;
    }
  });
  await engine.whenDone();
  result.elapsedMs = performance.now() - started;
  await engine.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(`engine-worker: ${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message}\n`);
  process.exitCode = 1;
});
