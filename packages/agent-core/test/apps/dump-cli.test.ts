// The CLI's dump and lookup options as a real process: netifyd's `%6u: text` lines, the
// operator's own definitions and categories when netifyd.conf names them, one-line errors.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGED_APPS_FILE, readDefinitions } from '../../src/apps/load-app-rules.js';
import { DESIGN_DIR } from '../flow/design-files.js';
import { CLI } from '../e2e/support/paths.js';
import { makeStateDir, type StateDir } from './agent-run.js';

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const design = (name: string) => join(DESIGN_DIR, name);

describe('dump and lookup options', () => {
  let state: StateDir | undefined;
  afterEach(() => state?.remove());

  it.skipIf(!existsSync(design('netifyd-protocols.txt')))('--dump-protos and --dump-risks print netifyd`s tables exactly as netifyd does', () => {
    expect(cli('--dump-protos')).toEqual({ code: 0, stdout: readFileSync(design('netifyd-protocols.txt'), 'utf8'), stderr: '' });
    expect(cli('--dump-risks')).toEqual({ code: 0, stdout: readFileSync(design('netifyd-risks.txt'), 'utf8'), stderr: '' });
  });

  it('--dump-apps lists the packaged applications by id without a netifyd.conf', () => {
    const { code, stdout } = cli('--dump-apps');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(readDefinitions(PACKAGED_APPS_FILE).counts.apps);
    expect(lines).toContain(' 10026: netify.github');
    const ids = lines.map((line) => Number(line.split(':')[0]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('uses the files netifyd.conf names: --dump-apps, --dump-categories, --lookup-ip, --lookup-host', () => {
    state = makeStateDir('path_app_config = ${path_state_persistent}/apps.conf\npath_category_config = ${path_state_persistent}/categories.json\n');
    writeFileSync(join(state.dir, 'apps.conf'), 'app:70001:site.one\napp:70002:site.two\ndom:70001:one.example\ndom:70002:two.one.example\nnet:70002:2001:db8::/32\n');
    writeFileSync(join(state.dir, 'categories.json'), JSON.stringify({
      application_tag_index: { sites: 3, other: 9 },
      application_index: [[3, [70001, 70002]]],
      protocol_tag_index: { web: 1 },
      protocol_index: [[1, [7, 196]]],
    }));
    const conf = ['-c', state.configFile];
    expect(cli(...conf, '--dump-apps').stdout).toBe(' 70001: site.one\n 70002: site.two\n');
    expect(cli(...conf, '--dump-categories').stdout).toBe('     3: application: sites\n     9: application: other\n     1: protocol: web\n');
    expect(cli(...conf, '--lookup-ip', '2001:db8:5::1').stdout).toBe(' 70002: site.two\n');
    expect(cli(...conf, '--lookup-ip', '192.0.2.1').stdout).toBe('     0: Unknown\n');
    expect(cli(...conf, '--lookup-host', 'www.one.example').stdout).toBe(' 70001: site.one\n');
    expect(cli(...conf, '--lookup-host', 'a.two.one.example').stdout).toBe(' 70002: site.two\n');
  });

  it('refuses bad values with one line and exit code 2', () => {
    expect(cli('--lookup-ip', '300.1.1.1')).toEqual({ code: 2, stdout: '', stderr: 'netifyd: --lookup-ip 300.1.1.1: not an IPv4 or IPv6 address\n' });
    expect(cli('--lookup-host', 'a/b')).toEqual({ code: 2, stdout: '', stderr: "netifyd: --lookup-host a/b: not a host name (letters, digits, '.', '-', '_')\n" });
    expect(cli('--dump-apps', '--dump-protos')).toMatchObject({ code: 2, stderr: 'netifyd: give one --dump-* or --lookup-* option at a time\n' });
  });
});
