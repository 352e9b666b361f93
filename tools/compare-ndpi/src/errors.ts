/** A failure the tool reports as one line: a stable `code` plus a message naming the file/value. */
export class CompareError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CompareError';
    this.code = code;
  }
}
