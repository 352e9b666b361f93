const brand = Symbol.for('netifyd.error');

/**
 * An error raised on purpose by the engine or the addon. `code` is stable (README lists
 * them). Carries the same brand as plugin-sdk's NetifydError, so `isNetifydError()` accepts
 * it without this package depending on the SDK.
 */
export class EngineError extends Error {
  readonly code: string;
  readonly [brand] = true;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
  }
}

/** Re-raises an addon error (a plain Error with `code`) as an EngineError. */
export function toEngineError(error: unknown, fallbackCode: string): EngineError {
  if (error instanceof EngineError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError(typeof code === 'string' ? code : fallbackCode, message, { cause: error });
}
