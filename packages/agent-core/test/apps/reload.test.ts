// SIGHUP reloads definitions and categories: flows classified before keep their result,
// flows first seen afterwards use the new file. Checked on the real engine's records of a
// public capture fed through the flow model around a reload, and on the real CLI process
// receiving SIGHUP.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '@netifyd/native-dpi';
import type { Flow } from '@netifyd/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplicationServices } from '../../src/apps/app-services.js';
import { loadAgentConfig } from '../../src/config/agent-config.js';
import type { EngineRecord } from '../../src/flow/engine-records.js';
import { FlowModel, type FlowModelEvent } from '../../src/flow/flow-model.js';
import { createLogger } from '../../src/logger.js';
import { AgentProcess } from '../e2e/support/agent-process.js';
import { CORPUS_CAPTURES, haveCorpus } from '../e2e/support/paths.js';
import { makeStateDir, type StateDir } from './agent-run.js';

const quiet = createLogger('', 'error', { write: () => undefined });

async function engineRecords(capture: string): Promise<EngineRecord[]> {
  const engine = new Engine({ detectionThreads: 1 });
  const records: EngineRecord[] = [];
  try {
    engine.addFileSource({ name: 'offline0', path: capture });
    engine.start((batch) => records.push(...batch));
    await engine.whenDone();
  } finally {
    await engine.close();
  }
  return records;
}

const flowOf = (event: FlowModelEvent): Flow | undefined => ('flow' in event && event.type !== 'flow_expire' ? event.flow : undefined);

describe('reload of application definitions', () => {
  let state: StateDir | undefined;
  afterEach(() => state?.remove());

  it.skipIf(!haveCorpus)('gives new flows the new definitions while classified flows keep theirs', async () => {
    state = makeStateDir('path_app_config = ${path_state_persistent}/apps.conf\n');
    const appsFile = join(state.dir, 'apps.conf');
    writeFileSync(appsFile, 'app:90001:test.kakao-before\ndom:90001:kakao.com\n');
    const services = ApplicationServices.start(loadAgentConfig(state.configFile), quiet);
    const model = new FlowModel({
      sources: [{ source: 0, name: 'offline0', role: 'lan' }],
      ndpiProtocols: Engine.ndpiProtocols(),
      applicationDetector: services.detector,
    });
    const tagByDigest = new Map<string, string[]>();
    let reloaded = false;
    let firstBefore: string | undefined;
    for (const record of await engineRecords(join(CORPUS_CAPTURES, 'KakaoTalk_chat.pcap'))) {
      for (const event of model.onRecords([record])) {
        const flow = flowOf(event);
        if (!flow || flow.detected_application === 0) continue;
        const tags = tagByDigest.get(flow.digest) ?? [];
        tags.push(`${event.type}:${flow.detected_application_name}`);
        tagByDigest.set(flow.digest, tags);
        if (!reloaded && event.type === 'flow_new') {
          firstBefore = flow.digest;
          writeFileSync(appsFile, 'app:90002:test.kakao-after\ndom:90002:kakao.com\n');
          services.reload(loadAgentConfig(state.configFile));
          reloaded = true;
        }
      }
    }
    const before = tagByDigest.get(firstBefore!)!;
    expect(before[0]).toBe('flow_new:test.kakao-before');
    expect(before.at(-1)).toBe('flow_dpi_complete:test.kakao-before');
    const later = [...tagByDigest.entries()].filter(([digest]) => digest !== firstBefore).map(([, tags]) => tags[0]);
    expect(later.length).toBeGreaterThan(5);
    expect(later.every((tag) => tag === 'flow_new:test.kakao-after')).toBe(true);
    expect(services.signatures.apps).toBe(1);
  });

  it('the CLI reloads the definitions file on SIGHUP', async () => {
    state = makeStateDir('path_app_config = ${path_state_persistent}/apps.conf\n');
    const appsFile = join(state.dir, 'apps.conf');
    writeFileSync(appsFile, 'app:90001:test.one\ndom:90001:one.example\n');
    const agent = new AgentProcess(['-c', state.configFile, '-d']);
    try {
      await agent.waitForStderr(/apps\.conf: 1 applications, 1 domains/, 15_000);
      // Signal handlers are installed once the agent has started, right after this line.
      await agent.waitForStderr(/running with \d+ plugins/, 15_000);
      writeFileSync(appsFile, 'app:90001:test.one\napp:90002:test.two\ndom:90002:two.example\nnet:90002:192.0.2.0/24\nbogus line\n');
      agent.signal('SIGHUP');
      await agent.waitForStderr(/apps\.conf: 2 applications, 1 domains, 1 networks, 0 transforms, 0 soft dissectors, 1 lines rejected/, 15_000);
      expect((await agent.waitForStderr(/\S*apps\.conf:5: not a definition/, 1_000))[0]).toBe(`${appsFile}:5: not a definition`);
    } finally {
      agent.signal('SIGTERM');
    }
    expect((await agent.wait(15_000)).code).toBe(0);
  });
});
