import { CompareError } from './errors.js';

export interface CliArgs {
  capturesDir: string;
  expectedDir: string;
  only: string[];
  json: boolean;
  timeoutMs: number;
  help: boolean;
}

export const USAGE = `usage: compare-ndpi --captures DIR --expected DIR [--only NAME...] [--json] [--timeout SECONDS]

  --captures DIR     folder of .pcap/.pcapng/.cap files
  --expected DIR     folder of ndpiReader 4.2 outputs, <capture>.out (ndpiReader -q -t -v 2 -w)
  --only NAME...     compare only these captures (file name, with or without extension;
                     several names after one --only, or --only repeated, or comma-separated)
  --json             print the report as JSON instead of text
  --timeout SECONDS  per-capture limit for the engine process (default 120)
`;

const DEFAULT_TIMEOUT_S = 120;

function usageError(message: string): CompareError {
  return new CompareError('ERR_USAGE', `${message}\n\n${USAGE}`);
}

/** Parses the command line (without node and script); throws ERR_USAGE with the usage text. */
export function parseCliArgs(argv: string[]): CliArgs {
  let capturesDir: string | undefined;
  let expectedDir: string | undefined;
  let timeoutS = DEFAULT_TIMEOUT_S;
  const only: string[] = [];
  let json = false;
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inlineValue ?? argv[++i];
      if (next === undefined || (inlineValue === undefined && next.startsWith('--'))) throw usageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--captures':
        capturesDir = value();
        break;
      case '--expected':
        expectedDir = value();
        break;
      case '--timeout': {
        const text = value();
        timeoutS = Number(text);
        if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw usageError(`--timeout '${text}': expected a positive number of seconds`);
        break;
      }
      case '--only': {
        const names = inlineValue !== undefined ? [inlineValue] : [];
        while (inlineValue === undefined && i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) names.push(argv[++i] as string);
        const split = names.flatMap((name) => name.split(',')).filter((name) => name !== '');
        if (split.length === 0) throw usageError('--only needs at least one capture name');
        only.push(...split);
        break;
      }
      case '--json':
        json = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw usageError(`unknown argument '${arg}'`);
    }
  }
  if (help) return { capturesDir: '', expectedDir: '', only, json, timeoutMs: timeoutS * 1000, help };
  if (capturesDir === undefined) throw usageError('--captures DIR is required');
  if (expectedDir === undefined) throw usageError('--expected DIR is required');
  return { capturesDir, expectedDir, only, json, timeoutMs: timeoutS * 1000, help };
}
