// Ensures netifyd's per-flow protocol rules (FORMATS §9 step 2–3, §2.2 name quirk): STUN
// refinement, first non-zero id kept, name fixed at first classification, give-up guess.
import { describe, expect, it } from 'vitest';
import { applyDetection, type DetectionInput, type ProtocolState } from '../../src/flow/protocol-detection.js';
import { ProtocolTable } from '../../src/flow/protocols.js';
import { ndpi } from './records.js';

const table = new ProtocolTable();
const fresh = (): ProtocolState => ({ protocol: 0, protocolName: undefined, guessed: false });
const input = (master: string | 0, app: string | 0, extra: Partial<DetectionInput> = {}): DetectionInput => ({
  ndpiMaster: master === 0 ? 0 : ndpi(master),
  ndpiApp: app === 0 ? 0 : ndpi(app),
  guessed: false,
  lowerPort: 40000,
  upperPort: 50000,
  ...extra,
});

describe('applyDetection', () => {
  it('takes the master first, then the app, and names the flow at first classification', () => {
    const state = fresh();
    applyDetection(state, table, input('TLS', 'GITHUB', { lowerPort: 443 }), false);
    expect(state).toEqual({ protocol: 196, protocolName: 'HTTP/S', guessed: false });
    const appOnly = fresh();
    applyDetection(appOnly, table, input(0, 'SSH'), false);
    expect(appOnly).toEqual({ protocol: 92, protocolName: 'SSH', guessed: false });
  });

  it('keeps the first non-zero id and its name', () => {
    const state = fresh();
    applyDetection(state, table, input('HTTP', 0), false);
    applyDetection(state, table, input('TLS', 0), false);
    applyDetection(state, table, input('DNS', 0), true);
    expect(state).toEqual({ protocol: 7, protocolName: 'HTTP', guessed: false });
  });

  it('stays unnamed while nothing maps (a service alone is no protocol)', () => {
    const state = fresh();
    applyDetection(state, table, input(0, 'GITHUB'), false);
    expect(state).toEqual({ protocol: 0, protocolName: undefined, guessed: false });
    applyDetection(state, table, input('TLS', 'GITHUB'), false);
    expect(state).toEqual({ protocol: 91, protocolName: 'TLS', guessed: false });
  });

  it('STUN with a mapped app replaces the id, also after first classification; the name stays', () => {
    const state = fresh();
    applyDetection(state, table, input('STUN', 0), false);
    expect(state).toEqual({ protocol: 78, protocolName: 'STUN', guessed: false });
    applyDetection(state, table, input('STUN', 'WHATSAPP_CALL'), false);
    expect(state).toEqual({ protocol: 246, protocolName: 'STUN', guessed: false });
    // An app without a netifyd id does not replace it.
    applyDetection(state, table, input('STUN', 'GOOGLE'), false);
    expect(state.protocol).toBe(246);
    const first = fresh();
    applyDetection(first, table, input('STUN', 'WHATSAPP_CALL'), false);
    expect(first).toEqual({ protocol: 246, protocolName: 'WhatsApp/Call', guessed: false });
  });

  it('gives up with nDPI guess: id from the guess, name Unknown, detection_guessed', () => {
    const state = fresh();
    applyDetection(state, table, input(0, 0), false);
    applyDetection(state, table, input('TLS', 0, { guessed: true, upperPort: 443 }), true);
    expect(state).toEqual({ protocol: 196, protocolName: 'Unknown', guessed: true });
    const appGuess = fresh();
    applyDetection(appGuess, table, input(0, 'HTTP', { guessed: true }), true);
    expect(appGuess).toEqual({ protocol: 7, protocolName: 'Unknown', guessed: true });
  });

  it('marks a flow guessed when it completes unknown even if the guess finds nothing', () => {
    const state = fresh();
    applyDetection(state, table, input(0, 0), true);
    expect(state).toEqual({ protocol: 0, protocolName: 'Unknown', guessed: true });
  });

  it('does not guess for a flow classified before completion', () => {
    const state = fresh();
    applyDetection(state, table, input('DNS', 0), false);
    applyDetection(state, table, input('HTTP', 0, { guessed: true }), true);
    expect(state).toEqual({ protocol: 5, protocolName: 'DNS', guessed: false });
  });
});
