/** A bench failure reported as one line: a stable `code` and a message naming the file or command. */
export class BenchError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BenchError';
    this.code = code;
  }
}
