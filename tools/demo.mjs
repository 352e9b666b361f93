#!/usr/bin/env node
// The README's main job: the agent with proc-core and sink-log on a capture (default: the
// project's own captures/sample-lab.pcap), then a table of what it detected, read back from
// the JSON lines sink-log wrote. Usage: node tools/demo.mjs [capture.pcap]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const capture = resolve(process.argv[2] ?? join(root, 'captures/sample-lab.pcap'));
const out = join(root, 'demo-output');
const etc = join(out, 'etc');
const logs = join(out, 'log');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(etc, 'plugins.d'), { recursive: true });
mkdirSync(logs, { recursive: true });

writeFileSync(join(etc, 'netifyd.conf'), `[netifyd]\nupdate_interval = 15\npath_state_volatile = ${join(out, 'run')}\n`);
for (const name of ['proc-core', 'sink-log']) {
  writeFileSync(
    join(etc, 'plugins.d', `10-netify-${name}.conf`),
    `[${name}]\nenable = yes\nplugin_library = @netifyd/${name}\nconf_filename = \${path_state_persistent}/netify-${name}.json\n`,
  );
}
writeFileSync(
  join(etc, 'netify-proc-core.json'),
  JSON.stringify({ format: 'json', compressor: 'none', sinks: { 'sink-log': { flows: { types: ['stream-flows'] }, stats: { types: ['stream-stats'] } } } }, null, 2),
);
writeFileSync(
  join(etc, 'netify-sink-log.json'),
  JSON.stringify({ overwrite: false, log_path: logs, channels: { flows: { log_name: 'netify-flows-' }, stats: { log_name: 'netify-stats-' } } }, null, 2),
);

const agent = spawnSync(process.execPath, [join(root, 'packages/agent-core/dist/cli.js'), '-c', join(etc, 'netifyd.conf'), '-I', capture], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (agent.status !== 0) process.exit(agent.status ?? 1);

const messages = readdirSync(logs)
  .filter((name) => name.startsWith('netify-flows-') && name.endsWith('.json'))
  .sort()
  .flatMap((name) => readFileSync(join(logs, name), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)));

const totals = new Map();
for (const message of messages) {
  if (message.type === 'flow_purge') totals.set(message.flow.digest, message.flow);
}
const rows = [['PROTOCOL', 'APPLICATION', 'LOCAL', 'OTHER', 'HOST / SNI', 'PACKETS', 'BYTES']];
const endpoint = (ip, port) => (ip.includes(':') ? `[${ip}]` : ip) + (port ? `:${port}` : '');
for (const message of messages) {
  if (message.type !== 'flow_dpi_complete') continue;
  const flow = message.flow;
  const total = totals.get(flow.digest);
  rows.push([
    `${flow.detected_protocol_name}${flow.detection_guessed ? ' (guess)' : ''}`,
    flow.detected_application_name,
    endpoint(flow.local_ip, flow.local_port),
    endpoint(flow.other_ip, flow.other_port),
    flow.ssl?.client_sni || flow.host_server_name || '',
    String(total?.total_packets ?? flow.total_packets),
    String(total?.total_bytes ?? flow.total_bytes),
  ]);
}
const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
console.log(`\nDetections in ${capture}:\n`);
for (const row of rows) console.log(row.map((cell, col) => cell.padEnd(widths[col])).join('  ').trimEnd());
console.log(`\n${messages.length} JSON messages (netifyd v5 format) in ${logs}/`);
console.log(`status: ${join(out, 'run', 'status.json')}`);
