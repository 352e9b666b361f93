// Category tables (netifyd's JSON shape and its legacy form), categories.d domain lists,
// and the categories the agent puts in flows.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CategoryTable } from '../../src/apps/categories.js';
import { loadDomainCategories } from '../../src/apps/domain-categories.js';
import { PACKAGED_APPS_FILE, PACKAGED_CATEGORIES_FILE, readCategories, readDefinitions } from '../../src/apps/load-app-rules.js';
import { readDataFile, type NetifydProtocolsFile } from '../../src/flow/data-files.js';
import { SAMPLE_LAB } from '../e2e/support/paths.js';
import { flowsOf, makeStateDir, runAgent, type StateDir } from './agent-run.js';

describe('CategoryTable', () => {
  it('reads the tag-index form and gives a member listed twice its lowest-numbered category', () => {
    const table = CategoryTable.fromJson({
      application_tag_index: { games: 7, chat: 2 },
      application_index: [[7, [100, 101]], [2, [101]]],
      protocol_tag_index: { web: 1 },
      protocol_index: [[1, [7]]],
      last_update: 1700000000,
    }, 'cats.json');
    expect(table.categoryOf('application', 100)).toBe(7);
    expect(table.categoryOf('application', 101)).toBe(2);
    expect(table.categoryOf('application', 5)).toBe(0);
    expect(table.categoryOf('protocol', 7)).toBe(1);
    expect(table.categories('application')).toEqual([{ id: 2, tag: 'chat' }, { id: 7, tag: 'games' }]);
  });

  it('reads the legacy form, numbering categories 1, 2, … in key order', () => {
    const table = CategoryTable.fromJson({ application_index: { chat: [100], games: [200] }, protocol_index: { web: [7] } }, 'old.json');
    expect(table.idOfTag('application', 'games')).toBe(2);
    expect(table.categoryOf('application', 200)).toBe(2);
    expect(table.categoryOf('protocol', 7)).toBe(1);
  });

  it('names the file and the key when the shape is wrong', () => {
    expect(() => CategoryTable.fromJson([], 'a.json')).toThrow(expect.objectContaining({ code: 'ERR_CATEGORIES', message: 'a.json: the document must be a JSON object' }));
    expect(() => CategoryTable.fromJson({ application_tag_index: { x: 'one' } }, 'b.json')).toThrow('b.json: application_tag_index.x must be a positive integer category id');
    expect(() => CategoryTable.fromJson({ protocol_tag_index: {}, protocol_index: [[1, ['7']]] }, 'c.json')).toThrow('c.json: protocol_index[0][1] must be an array of non-negative integer ids');
  });

  it('the packaged table gives every packaged application and every netifyd protocol a category', () => {
    const categories = readCategories(PACKAGED_CATEGORIES_FILE);
    for (const app of readDefinitions(PACKAGED_APPS_FILE).applications()) expect(categories.categoryOf('application', app.id), app.tag).toBeGreaterThan(0);
    for (const id of Object.keys(readDataFile<NetifydProtocolsFile>('netifyd-protocols.json').protocols).map(Number)) {
      if (id !== 0) expect(categories.categoryOf('protocol', id), `protocol ${id}`).toBeGreaterThan(0);
    }
  });
});

describe('categories.d domain lists', () => {
  let state: StateDir | undefined;
  afterEach(() => state?.remove());

  it('reads dom: lines of files named <NN>-<category>.conf, reporting what it skips', () => {
    state = makeStateDir();
    const dir = join(state.dir, 'categories.d');
    mkdirSync(dir);
    writeFileSync(join(dir, '10-messaging.conf'), '# chat\ndom:chat.example\nnet:192.0.2.0/24\nwhat is this\n');
    writeFileSync(join(dir, '20-no-such-category.conf'), 'dom:x.example\n');
    writeFileSync(join(dir, 'notes.txt'), 'dom:ignored.example\n');
    const loaded = loadDomainCategories(dir, readCategories(PACKAGED_CATEGORIES_FILE));
    expect(loaded.domains.match('www.chat.example')).toBe(1);
    expect(loaded.domains.match('ignored.example')).toBeUndefined();
    expect(loaded.issues.map((issue) => `${issue.file.slice(dir.length + 1)}:${issue.line}: ${issue.reason}`)).toEqual([
      '10-messaging.conf:4: expected dom:<domain> (or net:<network>), got "what is this"',
      `20-no-such-category.conf:0: category "no-such-category" is not an application category of ${PACKAGED_CATEGORIES_FILE}; file skipped`,
    ]);
  });

  it('fills category.domain, category.application and category.protocol of flows from the loaded tables', async () => {
    state = makeStateDir();
    mkdirSync(join(state.dir, 'categories.d'));
    writeFileSync(join(state.dir, 'categories.d', '50-developer-tools.conf'), 'dom:api.example.test\n');
    writeFileSync(join(state.dir, 'netify-apps.conf'), 'app:70001:lab.www\ndom:70001:www.example.test\n');
    const { events } = await runAgent(state.configFile, SAMPLE_LAB);
    const complete = flowsOf(events, 'flow_dpi_complete');
    const http = complete.find((flow) => flow.host_server_name === 'api.example.test' && flow.detected_protocol === 7);
    expect(http?.category).toEqual({ application: 0, domain: 16, overlay: 0, protocol: 1 });
    const tls = complete.find((flow) => flow.host_server_name === 'www.example.test' && flow.detected_protocol === 196);
    expect(tls).toMatchObject({ detected_application: 70001, detected_application_name: 'lab.www', category: { application: 0, domain: 0, protocol: 1 } });
    const dns = complete.find((flow) => flow.detected_protocol === 5);
    expect(dns?.category.protocol).toBe(4);
  });
});
