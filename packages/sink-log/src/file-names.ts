import { join } from 'node:path';

/** overwrite=true: the one file a channel keeps replacing. */
export function latestFileName(logName: string, extension: string): string {
  return `${logName}latest${extension}`;
}

/**
 * Where a file is written before it is published: hidden (leading dot), in the same
 * directory so the final rename is atomic, tagged with the pid so two agents sharing a
 * directory never write the same temporary file.
 */
export function temporaryPath(directory: string, finalName: string): string {
  return join(directory, `.${finalName}.${process.pid}.tmp`);
}

/** `YYYYMMDD-HHMMSS` in UTC, so names sort by time and never repeat across DST changes. */
export function timestampUtc(time: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${time.getUTCFullYear()}${pad(time.getUTCMonth() + 1)}${pad(time.getUTCDate())}-` +
    `${pad(time.getUTCHours())}${pad(time.getUTCMinutes())}${pad(time.getUTCSeconds())}`
  );
}

/** overwrite=false: `<log_name><YYYYMMDD-HHMMSS>[-N]<ext>`; N > 0 only when a second file opened within the same second. */
export function rotatedFileName(logName: string, openedAt: Date, extension: string, sequence: number): string {
  return `${logName}${timestampUtc(openedAt)}${sequence > 0 ? `-${sequence}` : ''}${extension}`;
}

export interface RotatedFile {
  readonly name: string;
  readonly stamp: string;
  readonly sequence: number;
}

/** Recognises this channel's published files among everything in the directory. */
export function parseRotatedFileName(name: string, logName: string, extension: string): RotatedFile | undefined {
  if (!name.startsWith(logName) || !name.endsWith(extension)) return undefined;
  const middle = name.slice(logName.length, name.length - extension.length);
  const match = /^(\d{8}-\d{6})(?:-(\d{1,6}))?$/.exec(middle);
  if (!match) return undefined;
  return { name, stamp: match[1] as string, sequence: Number(match[2] ?? 0) };
}

/** Oldest first. */
export function compareRotatedFiles(a: RotatedFile, b: RotatedFile): number {
  if (a.stamp !== b.stamp) return a.stamp < b.stamp ? -1 : 1;
  return a.sequence - b.sequence;
}
