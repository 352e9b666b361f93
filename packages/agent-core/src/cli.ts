#!/usr/bin/env node
import { isNetifydError } from '@netifyd/plugin-sdk';
import { Agent } from './agent.js';
import { parseCli, USAGE, type CliOptions } from './cli/args.js';
import { listPlugins } from './cli/list-plugins.js';
import { loadAgentConfig } from './config/agent-config.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.js';
import { createLogger } from './logger.js';
import { setPluginEnabled } from './plugins/toggle-plugin.js';
import { versionText } from './version.js';

async function main(argv: readonly string[]): Promise<number> {
  const options = parseCli(argv);
  if (options.help) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (options.version) {
    process.stdout.write(versionText());
    return EXIT_OK;
  }
  const config = loadAgentConfig(options.config);
  const toggle = options.enablePlugin ?? options.disablePlugin;
  if (toggle !== undefined) {
    const enabled = options.enablePlugin !== undefined;
    const { file, changed } = setPluginEnabled(config.paths, toggle, enabled);
    process.stdout.write(`plugin ${toggle} ${enabled ? 'enabled' : 'disabled'} in ${file}${changed ? '' : ' (already so)'}\n`);
    return EXIT_OK;
  }
  if (options.listPlugins) {
    process.stdout.write(await listPlugins(config.paths));
    return EXIT_OK;
  }
  return runDaemon(options);
}

async function runDaemon(options: CliOptions): Promise<number> {
  const log = createLogger('', options.debug ? 'debug' : 'info');
  if (options.sources.length > 0) {
    log.error('capture sources (-I/-E) need the flow model, which this build does not have yet');
    return EXIT_USAGE;
  }
  const agent = await Agent.start({ configFile: options.config, log });
  log.info(`running with ${agent.plugins.names().length} plugins; update interval ${agent.updateIntervalS} s`);
  return new Promise<number>((resolve) => {
    let signals = 0;
    const stop = (signal: string) => {
      if (++signals > 1) {
        log.warn(`${signal} again: exiting without waiting for plugins`);
        resolve(EXIT_FAILURE);
        return;
      }
      log.info(`${signal}: stopping`);
      agent.stop().then(() => resolve(EXIT_OK), () => resolve(EXIT_FAILURE));
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => void agent.reload());
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (isNetifydError(error)) {
      process.stderr.write(`netifyd: ${error.message}\n`);
      process.exit(EXIT_USAGE);
    }
    process.stderr.write(`netifyd: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT_FAILURE);
  },
);
