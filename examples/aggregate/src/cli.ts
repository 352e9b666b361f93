#!/usr/bin/env node
// netifyd-aggregate-collector: subscribe to every agent's flows, print per-agent counts on exit.
import { parseArgs } from 'node:util';
import { Collector, DEFAULT_TOPIC } from './collector.js';
import { formatReport } from './report.js';

const USAGE = `usage: netifyd-aggregate-collector --url URL [--topic FILTER] [--username NAME]
         [--client-id ID] [--ca-file FILE] [--seconds N] [--json]
  --url        broker, e.g. mqtt://127.0.0.1:1883 (no credentials in it)
  --topic      subscription; its "+" level is the agent uuid (default ${DEFAULT_TOPIC})
  --client-id  keep a persistent session under this id (the broker queues while away)
  --seconds    stop after N seconds (default: on SIGINT/SIGTERM)
  --json       print the summaries as JSON instead of a table
  The password is read from the environment variable NETIFY_COLLECTOR_PASSWORD.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string' },
        topic: { type: 'string' },
        username: { type: 'string' },
        'client-id': { type: 'string' },
        'ca-file': { type: 'string' },
        seconds: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.url === undefined) return usageError('--url is required');
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) {
    return usageError(`--seconds must be a positive number (got "${values.seconds}")`);
  }

  const password = process.env.NETIFY_COLLECTOR_PASSWORD;
  const collector = await Collector.start({
    url: values.url,
    ...(values.topic !== undefined ? { topic: values.topic } : {}),
    ...(values.username !== undefined ? { username: values.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(values['client-id'] !== undefined ? { clientId: values['client-id'] } : {}),
    ...(values['ca-file'] !== undefined ? { caFile: values['ca-file'] } : {}),
    onError: (error) => console.error(`collector: ${error.message}`),
  });
  console.error(`collector: subscribed to ${values.topic ?? DEFAULT_TOPIC} on ${values.url} (QoS ${collector.grantedQos})`);

  await new Promise<void>((resolve) => {
    if (seconds !== undefined) setTimeout(resolve, seconds * 1000);
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await collector.stop();
  const summaries = collector.ledger.summaries();
  console.log(values.json ? JSON.stringify(summaries, null, 2) : formatReport(summaries));
  return 0;
}

function usageError(message: string): number {
  console.error(`netifyd-aggregate-collector: ${message}\n${USAGE}`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const { code, message } = error as { code?: string; message?: string };
    console.error(`netifyd-aggregate-collector: ${message ?? String(error)}${code ? ` (${code})` : ''}`);
    process.exit(1);
  },
);
