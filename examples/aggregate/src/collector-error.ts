/** A collector failure with a stable `code` (same shape as the agent's NetifydError). */
export class CollectorError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CollectorError';
    this.code = code;
  }
}
