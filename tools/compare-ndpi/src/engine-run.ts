import { basename } from 'node:path';
import { toEngineFlow, type EngineFlow } from './engine-flow.js';
import { CompareError } from './errors.js';

/** The part of @netifyd/native-dpi's contract this tool uses (see that package's README). */
interface FlowRecordLike extends EngineFlow {
  kind: 'new' | 'dpi_update' | 'dpi_complete' | 'expire';
}
type RecordLike = FlowRecordLike | { kind: 'tick' } | { kind: 'source_end'; source: number; error?: string };

interface EngineLike {
  addFileSource(source: { name: string; path: string }): number;
  start(onBatch: (records: RecordLike[]) => void): void;
  whenDone(): Promise<void>;
  close(): Promise<void>;
}

interface NativeDpiModule {
  Engine: new (options?: { ndpiReaderLimits?: boolean }) => EngineLike;
}

const FLOW_KINDS = new Set(['new', 'dpi_update', 'dpi_complete', 'expire']);

/** Imports the addon's Engine class; ERR_ENGINE_LOAD says why it is unavailable. */
export async function loadEngine(): Promise<NativeDpiModule['Engine']> {
  try {
    const module = (await import('@netifyd/native-dpi')) as unknown as Partial<NativeDpiModule>;
    if (typeof module.Engine !== 'function') throw new Error('the package exports no Engine class (is it built?)');
    return module.Engine;
  } catch (error) {
    throw new CompareError('ERR_ENGINE_LOAD', `cannot load @netifyd/native-dpi: ${(error as Error).message}`, { cause: error });
  }
}

export interface EngineRun {
  flows: EngineFlow[];
  /** The source's end-of-file error, if the engine reported one. */
  sourceError?: string;
}

/**
 * Runs the engine with ndpiReader's per-flow limits over one capture and keeps each flow's last
 * record (its `expire`, which carries the final counters and detection).
 */
export async function runEngineOnCapture(path: string): Promise<EngineRun> {
  const Engine = await loadEngine();
  const engine = new Engine({ ndpiReaderLimits: true });
  const flows = new Map<number, EngineFlow>();
  let sourceError: string | undefined;
  try {
    engine.addFileSource({ name: basename(path), path });
    engine.start((records) => {
      for (const record of records) {
        if (FLOW_KINDS.has(record.kind)) {
          const flow = record as FlowRecordLike;
          flows.set(flow.flowId, toEngineFlow(flow));
        } else if (record.kind === 'source_end' && 'error' in record && record.error) {
          sourceError = record.error;
        }
      }
    });
    await engine.whenDone();
  } finally {
    await engine.close();
  }
  return { flows: [...flows.values()], ...(sourceError === undefined ? {} : { sourceError }) };
}
