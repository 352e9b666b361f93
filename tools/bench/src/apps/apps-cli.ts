// `npm run bench -- apps [lookup|coverage] [--rounds N]`: the application lookup bench and
// the coverage report on the public captures.
import { join } from 'node:path';
import { BenchError } from '../errors.js';
import { sharedDir } from '../paths.js';
import { loadAgentCoreApps } from './agent-core-apps.js';
import { runCoverage } from './coverage.js';
import { runLookupBench } from './lookup-bench.js';

export const APPS_USAGE = `usage: npm run bench -- apps [lookup] [coverage] [--rounds N]

  lookup        application lookup per flow: 10k domains, 5k networks (default)
  coverage      TLS/QUIC/HTTP flows of the public captures that get an application; top 20
  --rounds N    timed batches of 1000 flows for lookup (default 300)
environment: NETIFYD_SHARED (default ../shared) for the captures
`;

export async function main(argv: string[]): Promise<number> {
  try {
    let rounds = 300;
    const what = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === 'lookup' || arg === 'coverage') what.add(arg);
      else if (arg === '--rounds') {
        rounds = Number(argv[++i]);
        if (!Number.isInteger(rounds) || rounds < 10) throw new BenchError('ERR_USAGE', `--rounds '${argv[i] ?? ''}': expected an integer >= 10\n\n${APPS_USAGE}`);
      } else throw new BenchError('ERR_USAGE', `unknown argument '${arg}'\n\n${APPS_USAGE}`);
    }
    if (what.size === 0) what.add('lookup');
    const core = await loadAgentCoreApps();
    if (what.has('lookup')) process.stdout.write(`apps lookup bench (${rounds} batches of 1000 flows, one Node.js thread)\n${runLookupBench(core, rounds).lines.join('\n')}\n`);
    if (what.has('coverage')) process.stdout.write(`apps coverage\n${(await runCoverage(core, join(sharedDir(), 'pcap/captures'))).join('\n')}\n`);
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    process.stderr.write(`bench apps: ${(error as Error).message}\n`);
    return code === 'ERR_USAGE' ? 2 : 1;
  }
}
