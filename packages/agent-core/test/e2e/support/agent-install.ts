import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface InstallOptions {
  /** `[netifyd] update_interval` in seconds. */
  readonly updateIntervalS: number;
  /** `[dns-hint-cache] enable` (default yes). */
  readonly dnsHintCache?: boolean;
  /** `netify-proc-core.json`; proc-core is not installed when absent. */
  readonly procCore?: unknown;
  /** `netify-sink-log.json`; `log_path` defaults to this install's `logs/`. */
  readonly sinkLog?: Record<string, unknown>;
  /** `netify-sink-socket.json`. */
  readonly sinkSocket?: unknown;
}

/**
 * A throw-away agent installation in a temp dir, laid out as an operator's /etc/netifyd:
 * netifyd.conf, plugins.d loader files naming the real plugin packages, their JSON configs
 * beside it (found through `${path_state_persistent}`), a log dir and a volatile state dir.
 */
export class AgentInstall {
  readonly dir = mkdtempSync(join(tmpdir(), 'netifyd-e2e-'));
  readonly etc = join(this.dir, 'etc');
  readonly logs = join(this.dir, 'logs');
  readonly run = join(this.dir, 'run');
  readonly conf = join(this.etc, 'netifyd.conf');

  constructor(options: InstallOptions) {
    mkdirSync(join(this.etc, 'plugins.d'), { recursive: true });
    mkdirSync(this.logs);
    // Readable by an unprivileged user too (the bad-input tests drop root for one case).
    chmodSync(this.dir, 0o755);
    const hintCache = options.dnsHintCache === false ? '[dns-hint-cache]\nenable = no\n' : '';
    writeFileSync(this.conf, `[netifyd]\nupdate_interval = ${options.updateIntervalS}\npath_state_volatile = ${this.run}\n${hintCache}`);
    if (options.procCore !== undefined) this.addPlugin('proc-core', options.procCore);
    if (options.sinkLog !== undefined) this.addPlugin('sink-log', { log_path: this.logs, ...options.sinkLog });
    if (options.sinkSocket !== undefined) this.addPlugin('sink-socket', options.sinkSocket);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Every file in the log dir, hidden temporaries included. */
  logFiles(): string[] {
    return existsSync(this.logs) ? readdirSync(this.logs).sort() : [];
  }

  /**
   * The published files of one sink-log channel (`<log_name><YYYYMMDD-HHMMSS>[-N]<ext>`) in the
   * order they were opened, read whole.
   */
  channelFiles(logName: string, ext: string): Buffer[] {
    const pattern = new RegExp(`^${escapeRegExp(logName)}(\\d{8}-\\d{6})(?:-(\\d+))?${escapeRegExp(ext)}$`);
    return this.logFiles()
      .flatMap((file) => {
        const match = pattern.exec(file);
        return match ? [{ file, stamp: match[1]!, sequence: Number(match[2] ?? 0) }] : [];
      })
      .sort((a, b) => (a.stamp === b.stamp ? a.sequence - b.sequence : a.stamp < b.stamp ? -1 : 1))
      .map(({ file }) => readFileSync(join(this.logs, file)));
  }

  /** The JSON lines of one sink-log channel, parsed, across its files in order. */
  jsonLines(logName: string): Array<Record<string, unknown>> {
    return this.channelFiles(logName, '.json').flatMap((data) =>
      data
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Installs `@netifyd/<name>` with a loader file and its JSON config (e.g. one that needs `path()`). */
  addPlugin(name: string, config: unknown): void {
    writeFileSync(join(this.etc, `netify-${name}.json`), JSON.stringify(config, null, 2));
    writeFileSync(
      join(this.etc, 'plugins.d', `10-netify-${name}.conf`),
      `[${name}]\nenable = yes\nplugin_library = @netifyd/${name}\nconf_filename = \${path_state_persistent}/netify-${name}.json\n`,
    );
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
