import { join } from 'node:path';
import type { Logger } from '@netifyd/plugin-sdk';
import type { AgentConfig } from '../config/agent-config.js';
import { parseIniBoolean } from '../config/ini-file.js';
import type { SignatureCounts } from './app-definitions.js';
import { AppRules } from './app-rules.js';
import { ApplicationDetector } from './application-detector.js';
import { readDhcFile, writeDhcFile } from './dhc-file.js';
import { DnsHintCache } from './dns-hint-cache.js';
import { loadAppSnapshot } from './load-app-rules.js';

export const DHC_FILE_NAME = 'dns-cache.csv';

/** `[dns-hint-cache]` as the agent uses it (FORMATS §11). */
export interface DhcSettings {
  readonly enabled: boolean;
  /** Where the cache is loaded from at start and saved at stop; undefined = not saved. */
  readonly file: string | undefined;
  readonly ttlS: number;
  readonly maxEntries: number;
}

export function dhcSettings(config: AgentConfig): DhcSettings {
  const section = config.sections.get('dns-hint-cache') ?? {};
  const enabled = section.enable === undefined || parseIniBoolean(section.enable) !== false;
  const save = (section.save ?? 'persistent').trim().toLowerCase();
  const persistent = save === 'persistent' || parseIniBoolean(save) === true;
  const dir = persistent ? config.paths.persistent : save === 'volatile' ? config.paths.volatile : undefined;
  return {
    enabled,
    file: enabled && dir !== undefined ? join(dir, DHC_FILE_NAME) : undefined,
    ttlS: section.ttl === undefined ? 1800 : Math.max(1, Number(section.ttl)),
    maxEntries: section.cache_size === undefined || Number(section.cache_size) === 0 ? 100_000 : Number(section.cache_size),
  };
}

/**
 * The agent's application services: the definitions and categories in force (reloaded on
 * SIGHUP), the DNS hint cache (restored at start, purged every tick, saved at stop) and the
 * detector the flow model asks.
 */
export class ApplicationServices {
  readonly detector: ApplicationDetector;

  private constructor(
    private readonly rules: AppRules,
    private readonly hints: DnsHintCache | undefined,
    private readonly settings: DhcSettings,
    private readonly log: Logger,
  ) {
    this.detector = new ApplicationDetector(rules, hints);
  }

  static start(config: AgentConfig, log: Logger): ApplicationServices {
    const rules = new AppRules(loadAppSnapshot(config, log));
    const settings = dhcSettings(config);
    let hints: DnsHintCache | undefined;
    if (settings.enabled) {
      hints = new DnsHintCache({ ttlS: settings.ttlS, maxEntries: settings.maxEntries });
      if (settings.file !== undefined) {
        const { rows, problem } = readDhcFile(settings.file);
        if (problem !== undefined) log.warn(`DNS hint cache: ${problem}`);
        hints.restore(rows);
        if (rows.length > 0) log.debug(`DNS hint cache: ${rows.length} entries restored from ${settings.file}`);
      }
    }
    return new ApplicationServices(rules, hints, settings, log);
  }

  /** SIGHUP: new definitions and categories for flows seen from now on; the cache stays. */
  reload(config: AgentConfig): void {
    try {
      this.rules.current = loadAppSnapshot(config, this.log);
    } catch (error) {
      this.log.error(`application definitions not reloaded, keeping the previous ones: ${(error as Error).message}`);
    }
  }

  /** Called every tick with the tick's time: expired hints go. */
  tick(timeMs: number): void {
    this.hints?.purge(timeMs);
  }

  /** `dhc_size` for agent_status; undefined when the cache is disabled (`dhc_status: false`). */
  hintCacheStatus(): { size: number } | undefined {
    return this.hints ? { size: this.hints.size } : undefined;
  }

  get signatures(): SignatureCounts {
    return this.rules.current.definitions.counts;
  }

  /** Saves the cache (`save = persistent|volatile`); a write failure is logged, never thrown. */
  stop(): void {
    if (!this.hints || this.settings.file === undefined) return;
    try {
      const rows = this.hints.rows();
      writeDhcFile(this.settings.file, rows);
      this.log.debug(`DNS hint cache: ${rows.length} entries saved to ${this.settings.file}`);
    } catch (error) {
      this.log.error(`DNS hint cache: cannot save ${this.settings.file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
}
