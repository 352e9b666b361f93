import type { Logger } from '@netifyd/plugin-sdk';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LogSink {
  write(line: string): void;
}

/** Line logger to stderr (or a given sink); `prefix` names the agent part or plugin instance. */
export function createLogger(prefix: string, minLevel: LogLevel = 'info', sink: LogSink = process.stderr): Logger & { child(prefix: string): Logger } {
  const emit = (level: LogLevel, message: string) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    sink.write(`netifyd${prefix ? ` [${prefix}]` : ''}: ${level === 'info' ? '' : `${level}: `}${message}\n`);
  };
  return {
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m) => emit('error', m),
    child: (child) => createLogger(child, minLevel, sink),
  };
}
