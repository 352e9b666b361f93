// The definitions loader on valid and invalid files: netifyd's syntax, errors that name
// file, line and reason, bad lines that never discard good ones, and the packaged file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppDefinitions } from '../../src/apps/app-definitions.js';
import { parseCNumber, parseDefinitions } from '../../src/apps/definitions-parser.js';
import { PACKAGED_APPS_FILE, readDefinitions } from '../../src/apps/load-app-rules.js';
import { readDataFile, type ApplicationsFile } from '../../src/flow/data-files.js';
import { parseIp } from '../../src/flow/ip-address.js';
import { SAMPLE_LAB } from '../e2e/support/paths.js';
import { flowsOf, makeStateDir, runAgent } from './agent-run.js';

const dir = mkdtempSync(join(tmpdir(), 'apps-defs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeDefinitions(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const VALID = `# operator's own definitions
app:90001:example.videochat
app:0x15F92:example.cdn
app:0257623:example.octal

dom:90001:videochat.example
  dom:90001:chat.internal.example
dom:90002:edge.example
net:90001:198.51.100.0/24
net:90002:2001:db8:100::/48
net:90003:203.0.113.7
xfm:^edge[0-9]+\\.cdn\\.example$:videochat.example
nsd:90001:-1:cHJvdG9jb2xfaWQgPT0gNzggJiYgb3RoZXJfcG9ydCA9PSAzNDc4
`;

describe('definitions parser', () => {
  it('reads app, dom, net, xfm and nsd records of a valid file without issues', () => {
    const definitions = readDefinitions(writeDefinitions('valid.conf', VALID));
    expect(definitions.issues).toEqual([]);
    expect(definitions.counts).toEqual({ apps: 3, domains: 3, networks: 3, soft_dissectors: 1, transforms: 1 });
    expect(definitions.applications().map((app) => [app.id, app.tag])).toEqual([
      [90001, 'example.videochat'],
      [90002, 'example.cdn'],
      [90003, 'example.octal'],
    ]);
    expect(definitions.softDissectors[0]).toMatchObject({ appId: 90001, protocolId: -1, expression: 'protocol_id == 78 && other_port == 3478' });
  });

  it('reads ids as C numbers: decimal, 0x hex, leading-0 octal', () => {
    expect(parseCNumber('90001')).toBe(90001);
    expect(parseCNumber('0x15F92')).toBe(90002);
    expect(parseCNumber('0257622')).toBe(90002);
    expect(parseCNumber('09')).toBeUndefined();
    expect(parseCNumber('-5')).toBeUndefined();
    expect(parseCNumber('12a')).toBeUndefined();
  });

  it('reports each bad line with file, line and reason and keeps every good line', () => {
    const file = writeDefinitions('broken.conf', [
      'app:100:ok.one', //                         1 good
      'app:abc:bad.id', //                         2 bad id
      'app:101', //                                3 missing tag
      'dom:100:*.wild.example', //                 4 wildcard
      'dom:100:good.example', //                   5 good
      'net:100:300.1.1.0/24', //                   6 bad address
      'net:100:192.0.2.0/33', //                   7 bad length
      'net:100:192.0.2.0/24', //                   8 good
      'xfm:^(unclosed:x', //                       9 bad regex
      'nsd:100:-1:!!!', //                         10 bad base64
      'frob:1:2', //                               11 unknown kind
      'just some words', //                        12 not a record
      'app:100:dup.id', //                         13 duplicate id
      'app:102:ok.one', //                         14 duplicate tag
      'dom:999:orphan.example', //                 15 unknown app
      'dom:100:good.example', //                   16 duplicate domain
      'net:999:198.51.100.0/24', //                17 unknown app
      'app:0:zero', //                             18 id 0
      'dom:100:bad domain.example', //             19 not a domain
    ].join('\n'));
    const definitions = readDefinitions(file);
    const byLine = new Map(definitions.issues.map((issue) => [issue.line, issue.reason]));
    expect([...byLine.keys()]).toEqual([2, 3, 4, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    for (const issue of definitions.issues) expect(issue.file).toBe(file);
    expect(byLine.get(2)).toMatch(/application id "abc" is not a number/);
    expect(byLine.get(3)).toMatch(/expected app:<id>:<tag>/);
    expect(byLine.get(4)).toMatch(/wildcard/);
    expect(byLine.get(6)).toMatch(/"300\.1\.1\.0\/24" is not an IPv4\/IPv6 address/);
    expect(byLine.get(9)).toMatch(/invalid regex/);
    expect(byLine.get(10)).toMatch(/not a base64-encoded expression/);
    expect(byLine.get(11)).toMatch(/unknown record kind "frob"/);
    expect(byLine.get(13)).toMatch(/already defined at line 1/);
    expect(byLine.get(14)).toMatch(/tag "ok.one" is already used by application 100/);
    expect(byLine.get(15)).toMatch(/application id 999 is not defined/);
    expect(byLine.get(16)).toMatch(/already belongs to application 100 \(line 5\)/);
    expect(definitions.counts).toEqual({ apps: 1, domains: 1, networks: 1, soft_dissectors: 0, transforms: 0 });
    expect(definitions.findHost('www.good.example')?.tag).toBe('ok.one');
    expect(definitions.findAddress(parseIp('192.0.2.200')!)?.tag).toBe('ok.one');
  });

  it('refuses to read a file that does not exist, naming it', () => {
    expect(() => readDefinitions(join(dir, 'missing.conf'))).toThrow(/missing\.conf: cannot read application definitions \(ENOENT\)/);
    expect(() => readDefinitions(join(dir, 'missing.conf'))).toThrow(expect.objectContaining({ code: 'ERR_APPS_READ' }));
  });
});

describe('the packaged definitions file', () => {
  const packaged = readDefinitions(PACKAGED_APPS_FILE);

  it('loads without a single rejected line and has at least 150 applications', () => {
    expect(packaged.issues).toEqual([]);
    expect(packaged.counts.apps).toBeGreaterThanOrEqual(150);
    expect(packaged.counts.domains).toBeGreaterThan(packaged.counts.apps);
  });

  it('uses ids from 10000 up, never a netifyd protocol id, and netify.* tags', () => {
    for (const app of packaged.applications()) {
      expect(app.id).toBeGreaterThanOrEqual(10000);
      expect(app.tag).toMatch(/^netify\.[a-z0-9-]+$/);
    }
  });

  it('gives the nDPI-service table`s tags the same ids, so both name an application alike', () => {
    for (const { id, tag } of readDataFile<ApplicationsFile>('applications.json').applications) {
      expect(packaged.byTag(tag)?.id, tag).toBe(id);
    }
  });

  it('covers each kind of service the issue names', () => {
    const expectations: Array<[string, string]> = [
      ['web.whatsapp.com', 'netify.whatsapp'],
      ['rr3---sn-4g5e6nsz.googlevideo.com', 'netify.youtube'],
      ['scontent.xx.fbcdn.net', 'netify.facebook'],
      ['content.dropboxapi.com', 'netify.dropbox'],
      ['api.steampowered.com', 'netify.steam'],
      ['teams.microsoft.com', 'netify.teams'],
      ['a1234.dscb.akamaiedge.net', 'netify.akamai'],
      ['download.windowsupdate.com', 'netify.windows-update'],
      ['securepubads.g.doubleclick.net', 'netify.google-ads'],
      ['github.com', 'netify.github'],
    ];
    for (const [host, tag] of expectations) expect(packaged.findHost(host)?.tag, host).toBe(tag);
  });
});

describe('AppDefinitions from parsed text', () => {
  it('treats the first definition of an id as the one that counts', () => {
    const definitions = new AppDefinitions(parseDefinitions('app:5:first.tag\napp:5:second.tag\ndom:5:x.example', 'inline'));
    expect(definitions.byId(5)?.tag).toBe('first.tag');
    expect(definitions.byTag('second.tag')).toBeUndefined();
  });
});

describe('the agent loading definitions and categories', () => {
  it('logs each bad line of the operator`s files and falls back to the packaged ones when nothing usable is left', async () => {
    const state = makeStateDir('path_app_config = ${path_state_persistent}/mine.conf\npath_category_config = ${path_state_persistent}/mine.json\n');
    try {
      const appsFile = join(state.dir, 'mine.conf');
      const categoriesFile = join(state.dir, 'mine.json');
      writeFileSync(appsFile, 'app:x:broken\ndom:1:example.test\n');
      writeFileSync(categoriesFile, '{"application_tag_index": ');
      const { events, log } = await runAgent(state.configFile, SAMPLE_LAB);
      expect(log).toContain(`netifyd: warn: ${appsFile}:1: application id "x" is not a number between 1 and 4294967294`);
      expect(log).toContain(`netifyd: warn: ${appsFile}:2: domain example.test: application id 1 is not defined by an app: line`);
      expect(log).toContain(`netifyd: warn: ${appsFile} defines no application; using the packaged ${PACKAGED_APPS_FILE}`);
      expect(log.some((line) => line.startsWith(`netifyd: error: ${categoriesFile}: not valid JSON`) && line.endsWith('using the packaged ' + PACKAGED_APPS_FILE.replace('netify-apps.conf', 'netify-categories.json')))).toBe(true);
      const dns = flowsOf(events, 'flow_dpi_complete').find((flow) => flow.detected_protocol === 5);
      expect(dns?.category.protocol).toBe(4);
      const last = events.filter((event) => event.type === 'tick').at(-1);
      expect(last?.type === 'tick' && last.status.signatures).toEqual(readDefinitions(PACKAGED_APPS_FILE).counts);
    } finally {
      state.remove();
    }
  });
});
