// Loads the addon (node-gyp-build: prebuilds/ first, then build/) and declares its surface.
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from './errors.js';
import type { EngineCounters, NdpiProtocol } from './types.js';

/** Options as the native side reads them (validated by src/options.ts). */
export interface NativeEngineOptions {
  detectionThreads: number;
  maxDetectionPackets: number;
  maxFlows: number;
  tcpIdleTtlMs: number;
  idleTtlMs: number;
  idleExpiry: boolean;
  dnsFlowReuse: boolean;
  updateIntervalMs: number;
  batchMaxRecords: number;
  batchMaxMs: number;
  ndpiReaderLimits: boolean;
}

export interface NativeEngine {
  /** Throws (code ERR_CAPTURE_OPEN, ERR_LINKTYPE, ERR_BPF, ERR_ENGINE_STATE). */
  addFileSource(source: { name: string; path: string; filter: string; replay: boolean }): number;
  addLiveSource(source: { name: string; iface: string; filter: string; snaplen: number; promiscuous: boolean }): number;
  /** `buffer` is one batch (see src/native/events/record.h); `done` comes last, with null. */
  start(onBatch: (buffer: ArrayBuffer | null, done: boolean) => void): void;
  /** Ends capture; remaining flows are terminated and a final tick follows. */
  stop(): void;
  /** The oldest unacknowledged batch was handled (and the event loop turned since). */
  acknowledge(): void;
  /** Joins the threads and frees everything; the object is unusable afterwards. */
  dispose(): void;
  /** null once disposed. */
  counters(): EngineCounters | null;
}

export interface NativeBinding {
  NativeEngine: new (options: NativeEngineOptions) => NativeEngine;
  ndpiProtocols(): NdpiProtocol[];
  ndpiVersion(): string;
  /**
   * Self-check of the direct snprintf writer nDPI's fingerprint code is linked to
   * (src/native/detect/ndpi_snprintf.cc): its disagreements with glibc, none expected.
   */
  checkFastSnprintf(): string[];
  /** Guards src/record-decoder.ts against a mismatched addon. */
  recordFormat: number;
  /** interface_stats keys in the order the tick records carry them. */
  sourceCounterNames: string[];
}

const require = createRequire(import.meta.url);
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let loaded: NativeBinding | undefined;

/**
 * The addon, loaded on first use; ERR_ADDON_LOAD keeps node-gyp-build's reason and adds the
 * fix. NETIFYD_NATIVE_DPI_ADDON=/path/to/file.node loads that build instead (e.g. the
 * AddressSanitizer build of `npm run test:asan`).
 */
export function binding(): NativeBinding {
  if (loaded) return loaded;
  try {
    const override = process.env.NETIFYD_NATIVE_DPI_ADDON;
    if (override) {
      loaded = require(override) as NativeBinding;
      return loaded;
    }
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    loaded = nodeGypBuild(packageRoot) as NativeBinding;
    return loaded;
  } catch (error) {
    throw new EngineError(
      'ERR_ADDON_LOAD',
      `@netifyd/native-dpi: the native addon could not be loaded: ${(error as Error).message}\n` +
        'Build it with `npm run build -w @netifyd/native-dpi` (needs libndpi-dev, libpcap-dev, libgcrypt-dev ' +
        'and a C++17 compiler), or install a matching prebuild in prebuilds/.',
      { cause: error },
    );
  }
}
