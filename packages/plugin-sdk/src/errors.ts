const brand = Symbol.for('netifyd.error');

/**
 * Base of every error the agent or a plugin raises on purpose. `code` is stable and
 * listed in ERRORS.md; tests assert it. The brand makes `isNetifydError` work across
 * several installed copies of the SDK, where `instanceof` would not.
 */
export class NetifydError extends Error {
  readonly code: string;
  readonly [brand] = true;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetifydError';
    this.code = code;
  }
}

export function isNetifydError(value: unknown): value is NetifydError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** A plugin's JSON config does not match its schema: the message names file, path, value. */
export class PluginConfigError extends NetifydError {
  readonly file: string;
  readonly path: string;

  constructor(file: string, path: string, message: string) {
    super('ERR_PLUGIN_CONFIG', message);
    this.name = 'PluginConfigError';
    this.file = file;
    this.path = path;
  }
}
