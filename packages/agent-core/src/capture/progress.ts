import { statSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { SourceSpec } from '../cli/args.js';

/**
 * A progress bar on stderr for long capture-file runs on a terminal: bytes read of the
 * files' total size and packets per second. Nothing is drawn when stderr is not a TTY.
 */
export class CaptureProgress {
  private readonly bar: SingleBar | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private lastPackets = 0;
  private lastAt = Date.now();

  constructor(sources: readonly SourceSpec[], read: () => { packets: number; position: number }) {
    const files = sources.filter((s) => s.file);
    if (!process.stderr.isTTY || files.length === 0) return;
    const total = files.reduce((sum, s) => sum + statSync(s.file!).size, 0);
    this.bar = new SingleBar({
      stream: process.stderr,
      format: 'netifyd: {bar} {percentage}% | {value_mb}/{total_mb} MB | {pps} packets/s',
      hideCursor: true,
      clearOnComplete: true,
    });
    this.bar.start(total, 0, { value_mb: '0.0', total_mb: (total / 1e6).toFixed(1), pps: 0 });
    this.timer = setInterval(() => {
      const { packets, position } = read();
      const now = Date.now();
      const pps = Math.round(((packets - this.lastPackets) * 1000) / Math.max(1, now - this.lastAt));
      this.lastPackets = packets;
      this.lastAt = now;
      this.bar?.update(position, { value_mb: (position / 1e6).toFixed(1), pps });
    }, 250);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.bar?.stop();
  }
}
