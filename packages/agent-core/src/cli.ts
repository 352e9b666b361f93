#!/usr/bin/env node
import { isNetifydError } from '@netifyd/plugin-sdk';
import { Agent } from './agent.js';
import { CaptureProgress } from './capture/progress.js';
import { RunSummary } from './capture/run-summary.js';
import { DEFAULT_CONFIG, parseCli, USAGE, type CliOptions } from './cli/args.js';
import { dumpText } from './cli/dump.js';
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
  if (options.dump) {
    const log = createLogger('', options.debug ? 'debug' : 'warn');
    process.stdout.write(dumpText(options.dump, options.config, options.config === DEFAULT_CONFIG, log));
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
  const summary = new RunSummary();
  // Signals that arrive while the agent is starting are held and acted on once it runs;
  // without a handler, an early SIGHUP would end the process.
  const held: NodeJS.Signals[] = [];
  let onSignal = (signal: NodeJS.Signals): void => {
    held.push(signal);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));
  const agent = await Agent.start({
    configFile: options.config,
    log,
    sources: options.sources,
    replay: options.replay,
    observe: (event) => summary.observe(event),
  });
  const capture = agent.captureSession;
  const progress = capture && !capture.live ? new CaptureProgress(options.sources, () => capture.progress()) : undefined;
  log.debug(`running with ${agent.plugins.names().length} plugins; update interval ${agent.updateIntervalS} s`);
  return new Promise<number>((resolve) => {
    let signals = 0;
    const finish = (code: number) => {
      progress?.stop();
      if (capture) log.info(summary.line());
      resolve(code);
    };
    const stop = (reason: string) => {
      if (++signals > 1) {
        log.warn(`${reason} again: exiting without waiting for plugins`);
        resolve(EXIT_FAILURE);
        return;
      }
      log.debug(`${reason}: stopping`);
      agent.stop().then(() => finish(EXIT_OK), () => finish(EXIT_FAILURE));
    };
    onSignal = (signal) => {
      if (signal === 'SIGHUP') void agent.reload();
      else stop(signal);
    };
    for (const signal of held.splice(0)) onSignal(signal);
    if (capture && !capture.live) void agent.whenCaptureDone().then(() => stop('end of capture'));
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
