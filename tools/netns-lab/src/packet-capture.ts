import type { Lab } from './lab.js';
import type { LabProcess } from './lab-process.js';
import { LabError } from './errors.js';

export interface CaptureOptions {
  /** Interface inside `ns` (usually lab.ifA or lab.ifB). */
  interfaceName: string;
  outPath: string;
  /** Optional BPF filter expression, passed to tcpdump as one argument. */
  filter?: string;
  readyTimeoutMs?: number;
}

export interface PacketCapture {
  process: LabProcess;
  /** Stops tcpdump with SIGINT (it flushes and closes the file) and returns its count. */
  stop(): Promise<{ packetsCaptured: number }>;
}

/**
 * tcpdump writing a pcap inside `ns`; resolves once tcpdump says it is listening. Runs with
 * `-Z root` so the file is not handed to the tcpdump user, `-U` + immediate mode so every
 * packet reaches the file before stop() returns.
 */
export async function startCapture(lab: Lab, ns: string, options: CaptureOptions): Promise<PacketCapture> {
  const argv = [
    'tcpdump', '-Z', 'root', '-n', '-i', options.interfaceName, '-s', '0', '--immediate-mode', '-U', '-w', options.outPath,
    ...(options.filter ? [options.filter] : []),
  ];
  const child = await lab.spawn(ns, argv, {
    readyPattern: /^(tcpdump: )?listening on /,
    readyStream: 'stderr',
    readyTimeoutMs: options.readyTimeoutMs ?? 5_000,
  });
  return {
    process: child,
    stop: async () => {
      const status = await child.stop('SIGINT');
      const summary = child.output('stderr').find((line) => /^\d+ packets? captured/.test(line));
      if (status.code !== 0 || summary === undefined) {
        throw new LabError(
          'ERR_LAB_CAPTURE',
          `tcpdump on ${ns}/${options.interfaceName} did not stop cleanly (exit ${status.code ?? status.signal}): ${child.output('stderr').slice(-2).join(' | ')}`,
        );
      }
      return { packetsCaptured: Number(/^(\d+)/.exec(summary)?.[1] ?? 0) };
    },
  };
}
