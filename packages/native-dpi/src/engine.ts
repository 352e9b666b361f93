// The engine as JS sees it: validates options, wraps the addon's NativeEngine, decodes
// batches and tracks the run's lifecycle (start -> done -> closed).
import { binding, type NativeEngine } from './binding.js';
import { EngineError, toEngineError } from './errors.js';
import { resolveEngineOptions, resolveFileSource, resolveLiveSource } from './options.js';
import { RECORD_FORMAT, RecordDecoder, recordFormatError } from './record-decoder.js';
import type {
  EngineCounters,
  EngineOptions,
  EngineRecord,
  FileSourceOptions,
  LiveSourceOptions,
  NdpiProtocol,
} from './types.js';

type State = 'created' | 'running' | 'done' | 'closed';

export class Engine {
  private readonly native: NativeEngine;
  private state: State = 'created';
  private readonly done: Promise<void>;
  private resolveDone!: () => void;
  private closing: Promise<void> | undefined;

  constructor(options?: EngineOptions) {
    const resolved = resolveEngineOptions(options);
    const { NativeEngine: Native } = binding();
    this.native = new Native(resolved);
    this.done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Opens a pcap/pcapng file now; returns its source id. Codes: ERR_CAPTURE_OPEN, ERR_LINKTYPE, ERR_BPF. */
  addFileSource(source: FileSourceOptions): number {
    this.expectState('created', 'addFileSource');
    const resolved = resolveFileSource(source);
    try {
      return this.native.addFileSource(resolved);
    } catch (error) {
      throw toEngineError(error, 'ERR_CAPTURE_OPEN');
    }
  }

  /** Opens a live interface (promiscuous, snaplen 65535 by default). Codes: ERR_CAPTURE_OPEN, ERR_BPF. */
  addLiveSource(source: LiveSourceOptions): number {
    this.expectState('created', 'addLiveSource');
    const resolved = resolveLiveSource(source);
    try {
      return this.native.addLiveSource(resolved);
    } catch (error) {
      throw toEngineError(error, 'ERR_CAPTURE_OPEN');
    }
  }

  /** Starts capture and detection; `onBatch` receives records in order, on the JS thread. */
  start(onBatch: (records: EngineRecord[]) => void): void {
    this.expectState('created', 'start');
    if (typeof onBatch !== 'function') {
      throw new EngineError('ERR_INVALID_OPTION', `start() needs a callback function (got ${typeof onBatch})`);
    }
    const { recordFormat, sourceCounterNames } = binding();
    if (recordFormat !== RECORD_FORMAT) throw recordFormatError(recordFormat);
    const decoder = new RecordDecoder(sourceCounterNames);
    const acknowledge = (): void => this.native.acknowledge();
    try {
      this.native.start((buffer, last) => {
        if (last) {
          this.state = this.state === 'running' ? 'done' : this.state;
          this.resolveDone();
          return;
        }
        if (!buffer) return;
        // Acknowledged after the event loop's next turn, so timers and I/O (sinks writing
        // what this batch produced) run between batches even while the engine is ahead.
        setImmediate(acknowledge);
        const records = decoder.decode(buffer);
        try {
          onBatch(records);
        } catch (error) {
          // Not into the addon (Node-API would only print it): an ordinary uncaught
          // exception on the next tick; the engine carries on.
          process.nextTick(() => {
            throw error;
          });
        }
      });
    } catch (error) {
      throw toEngineError(error, 'ERR_ENGINE_START');
    }
    this.state = 'running';
  }

  /**
   * Resolves once every file source reached its end, the final tick was delivered and the
   * threads are idle. With live sources: only after close().
   */
  whenDone(): Promise<void> {
    if (this.state === 'created') {
      return Promise.reject(new EngineError('ERR_ENGINE_STATE', 'whenDone() called before start()'));
    }
    return this.done;
  }

  /** Stops capture (remaining flows expire as 'terminated'), delivers the final tick, joins threads. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  /** Cumulative counters right now. */
  counters(): EngineCounters {
    const counters = this.native.counters();
    if (!counters) throw new EngineError('ERR_ENGINE_STATE', 'counters() called after close()');
    return counters;
  }

  static ndpiProtocols(): NdpiProtocol[] {
    return binding().ndpiProtocols();
  }

  static ndpiVersion(): string {
    return binding().ndpiVersion();
  }

  private async closeOnce(): Promise<void> {
    if (this.state === 'running') {
      this.native.stop();
      await this.done;
    }
    this.native.dispose();
    this.state = 'closed';
  }

  private expectState(expected: State, call: string): void {
    if (this.state !== expected) {
      throw new EngineError('ERR_ENGINE_STATE', `${call}() is not allowed once the engine is ${this.state}`);
    }
  }
}
