import type { ProtocolTable } from './protocols.js';

/** The part of a flow's state that netifyd's protocol rules update. */
export interface ProtocolState {
  protocol: number;
  /** Set once: at first classification, or at completion before the give-up guess. */
  protocolName: string | undefined;
  guessed: boolean;
}

/** The fields of an engine record the rules read. */
export interface DetectionInput {
  readonly ndpiMaster: number;
  readonly ndpiApp: number;
  readonly guessed: boolean;
  readonly lowerPort: number;
  readonly upperPort: number;
}

/**
 * Applies one detection result to the flow (FORMATS §9, netifyd 5.0.7 nd-detection.cpp):
 * 1. a real (not guessed) result: STUN with a mapped app replaces the id; otherwise only
 *    while the id is 0, the master then the app are tried — the first non-zero id is kept;
 * 2. the name is taken when the id first becomes non-zero, or at completion;
 * 3. completing with id 0: nDPI's guess (master, then app) and `detection_guessed`. The
 *    name was already fixed, so a guessed flow keeps `Unknown` (netifyd's quirk).
 * `completing` is true for the record that ends DPI (and for a first record that is already
 * the give-up, where the engine's values are the guess).
 */
export function applyDetection(state: ProtocolState, table: ProtocolTable, input: DetectionInput, completing: boolean): void {
  const { ndpiMaster, ndpiApp, lowerPort, upperPort } = input;
  if (!input.guessed) {
    if (ndpiMaster === table.ndpiStun && ndpiApp !== 0) {
      const refined = table.map(ndpiApp, lowerPort, upperPort);
      if (refined !== 0) state.protocol = refined;
    }
    if (state.protocol === 0) state.protocol = table.map(ndpiMaster, lowerPort, upperPort);
    if (state.protocol === 0) state.protocol = table.map(ndpiApp, lowerPort, upperPort);
  }
  if (state.protocolName === undefined && (state.protocol !== 0 || completing)) {
    state.protocolName = table.name(state.protocol);
  }
  if (completing && state.protocol === 0) {
    state.guessed = true;
    state.protocol = table.map(ndpiMaster, lowerPort, upperPort);
    if (state.protocol === 0) state.protocol = table.map(ndpiApp, lowerPort, upperPort);
  }
}
