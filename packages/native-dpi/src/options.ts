// Validates engine and source options in TS so the addon can trust what it gets.
import type { NativeEngineOptions } from './binding.js';
import { EngineError } from './errors.js';
import type { EngineOptions, FileSourceOptions, LiveSourceOptions } from './types.js';

/** ndpiReader never expires idle flows of a file; this TTL means "until the source ends". */
const NEVER_MS = Number.MAX_SAFE_INTEGER;

function integer(options: object, key: string, fallback: number, min: number, max: number): number {
  const value = (options as Record<string, unknown>)[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new EngineError(
      'ERR_INVALID_OPTION',
      `engine option ${key} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

function boolean(options: object, key: string, fallback: boolean, what: string): boolean {
  const value = (options as Record<string, unknown>)[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new EngineError('ERR_INVALID_OPTION', `${what} option ${key} must be a boolean (got ${JSON.stringify(value)})`);
  }
  return value;
}

function text(options: object, key: string, what: string, required: boolean): string {
  const value = (options as Record<string, unknown>)[key];
  if (value === undefined && !required) return '';
  if (typeof value !== 'string' || (required && value.length === 0)) {
    throw new EngineError(
      'ERR_INVALID_OPTION',
      `${what} option ${key} must be a ${required ? 'non-empty ' : ''}string (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

function object(value: unknown, what: string): object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EngineError('ERR_INVALID_OPTION', `${what} must be an object (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function resolveEngineOptions(options: EngineOptions | undefined): NativeEngineOptions {
  const o = object(options ?? {}, 'engine options');
  const readerLimits = boolean(o, 'ndpiReaderLimits', false, 'engine');
  const ttlGiven = 'tcpIdleTtlMs' in o || 'idleTtlMs' in o;
  const day = 86_400_000;
  return {
    detectionThreads: integer(o, 'detectionThreads', readerLimits ? 1 : 2, 1, 64),
    maxDetectionPackets: integer(o, 'maxDetectionPackets', 32, 1, 65_535),
    maxFlows: integer(o, 'maxFlows', 0, 0, 100_000_000),
    tcpIdleTtlMs: integer(o, 'tcpIdleTtlMs', readerLimits && !ttlGiven ? NEVER_MS : 300_000, 1, NEVER_MS),
    idleTtlMs: integer(o, 'idleTtlMs', readerLimits && !ttlGiven ? NEVER_MS : 30_000, 1, NEVER_MS),
    idleExpiry: !(readerLimits && !ttlGiven),
    dnsFlowReuse: boolean(o, 'dnsFlowReuse', false, 'engine'),
    updateIntervalMs: integer(o, 'updateIntervalMs', 15_000, 10, day),
    batchMaxRecords: integer(o, 'batchMaxRecords', 1024, 1, 1_000_000),
    batchMaxMs: integer(o, 'batchMaxMs', 50, 1, 60_000),
    ndpiReaderLimits: readerLimits,
  };
}

export function resolveFileSource(source: FileSourceOptions): { name: string; path: string; filter: string; replay: boolean } {
  const o = object(source, 'file source');
  return {
    name: text(o, 'name', 'file source', true),
    path: text(o, 'path', 'file source', true),
    filter: text(o, 'filter', 'file source', false),
    replay: boolean(o, 'replay', false, 'file source'),
  };
}

export function resolveLiveSource(source: LiveSourceOptions): {
  name: string;
  iface: string;
  filter: string;
  snaplen: number;
  promiscuous: boolean;
} {
  const o = object(source, 'live source');
  return {
    name: text(o, 'name', 'live source', true),
    iface: text(o, 'iface', 'live source', true),
    filter: text(o, 'filter', 'live source', false),
    snaplen: integer(o, 'snaplen', 65_535, 64, 262_144),
    promiscuous: boolean(o, 'promiscuous', true, 'live source'),
  };
}
