// Ensures the traffic scripts refuse bad arguments with one line and exit 2, report a
// failed exchange with exit 1, and work over loopback without any namespace.
import { afterEach, describe, expect, it } from 'vitest';
import { LabProcess, trafficCommand, type TrafficScript } from '../src/index.js';
import { runNode } from './helpers/processes.js';

const started: LabProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((child) => child.stop()));
});

function runScript(script: TrafficScript, args: string[]) {
  const [, scriptPath = ''] = trafficCommand(script, []);
  return runNode([scriptPath, ...args], { timeoutMs: 15_000 });
}

describe('traffic scripts', () => {
  it.each([
    ['dns-client', ['--name', 'x.test'], 'error: --server is required'],
    ['dns-client', ['--server', '127.0.0.1', '--name', 'x.test', '--type', 'MX'], 'error: --type must be A or AAAA (got "MX")'],
    ['dns-server', ['--listen', '127.0.0.1', '--record', 'x.test=not-an-ip'], 'error: --record must be NAME=IPv4-or-IPv6-address (got "x.test=not-an-ip")'],
    ['dns-server', ['--listen', '127.0.0.1', '--record', 'x.test=192.0.2.1', '--cname', 'alias.test'], 'error: --cname must be ALIAS=TARGET (got "alias.test")'],
    ['tls-client', ['--connect', '127.0.0.1', '--servername', 'a.test', '--ca', '/nonexistent/ca.pem'], 'error: --ca /nonexistent/ca.pem: ENOENT'],
    ['tls-client', ['--connect', '127.0.0.1', '--servername', 'a.test', '--ca', 'x', '--tls-version', 'TLSv1.1'], 'error: --tls-version must be TLSv1.2 or TLSv1.3 (got "TLSv1.1")'],
    ['http-client', ['--connect', '127.0.0.1', '--host', 'a.test', '--path', 'no slash'], 'error: --path must start with / and hold no spaces (got "no slash")'],
    ['udp-client', ['--connect', '127.0.0.1', '--port', '70000'], 'error: --port must be an integer from 1 to 65535 (got "70000")'],
    ['banner-server', ['--listen', '127.0.0.1', '--port', '22', '--bogus'], "error: banner-server: Unknown option '--bogus'"],
  ] as const)('%s %j exits 2 with one line', async (script, args, message) => {
    const run = await runScript(script, [...args]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')[0]).toBe(message.split('\n')[0]);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('dns-client gives up with exit 1 when nothing answers within its timeout', async () => {
    const run = await runScript('dns-client', ['--server', '127.0.0.1', '--port', '9', '--name', 'x.test', '--timeout-ms', '300']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('error: DNS query for x.test to 127.0.0.1:9: no answer within 300 ms');
  });

  it('dns-server and dns-client talk over loopback (no namespace needed)', async () => {
    const server = new LabProcess(trafficCommand('dns-server', ['--listen', '127.0.0.1', '--port', '0', '--record', 'loop.example.test=192.0.2.7']));
    started.push(server);
    const ready = JSON.parse((await server.waitForLine(/^READY /, 5_000)).slice('READY '.length)) as { port: number };
    expect(ready.port).toBeGreaterThan(0);
    const run = await runScript('dns-client', ['--server', '127.0.0.1', '--port', String(ready.port), '--name', 'loop.example.test']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().replace(/^RESULT /, ''))).toMatchObject({ rcode: 0, answers: ['192.0.2.7'] });
    await server.waitForLine(/^EVENT .*"name":"loop.example.test"/, 2_000);
  });

  it('dns-server answers through its CNAMEs, stopping at a loop (over loopback)', async () => {
    const server = new LabProcess(
      trafficCommand('dns-server', [
        '--listen', '127.0.0.1', '--port', '0', '--record', 'edge.cdn.test=192.0.2.10', '--record', 'edge.cdn.test=192.0.2.11',
        '--cname', 'www.shop.test=shop.cdn.test', '--cname', 'shop.cdn.test=edge.cdn.test', '--cname', 'loop-a.test=loop-b.test', '--cname', 'loop-b.test=loop-a.test',
      ]),
    );
    started.push(server);
    const { port } = JSON.parse((await server.waitForLine(/^READY /, 5_000)).slice('READY '.length)) as { port: number };
    const query = async (name: string) => {
      const run = await runScript('dns-client', ['--server', '127.0.0.1', '--port', String(port), '--name', name]);
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout.trim().replace(/^RESULT /, '')) as { rcode: number; answers: string[]; cnames: string[] };
    };
    expect(await query('WWW.shop.test')).toMatchObject({ rcode: 0, cnames: ['shop.cdn.test', 'edge.cdn.test'], answers: ['192.0.2.10', '192.0.2.11'] });
    expect(await query('loop-a.test')).toMatchObject({ rcode: 0, cnames: ['loop-b.test'], answers: [] });
    expect(await query('edge.cdn.test')).toMatchObject({ rcode: 0, cnames: [], answers: ['192.0.2.10', '192.0.2.11'] });
    await server.waitForLine(/^EVENT .*"name":"www.shop.test".*"cnames":\["shop.cdn.test","edge.cdn.test"\]/, 2_000);
  });

  it('a server that cannot bind its port exits 1 and the lab sees it die before READY', async () => {
    const first = new LabProcess(trafficCommand('http-server', ['--listen', '127.0.0.1', '--port', '0']));
    started.push(first);
    const { port } = JSON.parse((await first.waitForLine(/^READY /, 5_000)).slice('READY '.length)) as { port: number };
    const second = new LabProcess(trafficCommand('http-server', ['--listen', '127.0.0.1', '--port', String(port)]));
    started.push(second);
    await expect(second.waitForLine(/^READY /, 5_000)).rejects.toMatchObject({ code: 'ERR_LAB_PROCESS' });
    expect(await second.exited).toEqual({ code: 1, signal: null });
    expect(second.output('stderr')[0]).toMatch(/^error: http-server on 127\.0\.0\.1:\d+: listen EADDRINUSE/);
  });
});
