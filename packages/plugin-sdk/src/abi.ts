/** The plugin ABI this copy of the SDK describes, `MAJOR.MINOR`. */
export const PLUGIN_ABI = '1.0';

export interface AbiVersion {
  readonly major: number;
  readonly minor: number;
}

/** Parses `MAJOR.MINOR`; returns undefined for anything else. */
export function parseAbi(text: unknown): AbiVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(\d{1,4})\.(\d{1,4})$/.exec(text);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/**
 * Whether an agent speaking `agentAbi` can load a plugin built for `pluginAbi`.
 *
 * Majors must be equal: a major bump removes or changes something a plugin may call.
 * The plugin's minor must not exceed the agent's: minors only add, so a plugin built
 * for 1.3 runs on a 1.4 agent (everything it uses is still there), while a plugin
 * built for 1.4 may use an addition a 1.3 agent does not have.
 */
export function isAbiCompatible(pluginAbi: string, agentAbi: string = PLUGIN_ABI): boolean {
  const plugin = parseAbi(pluginAbi);
  const agent = parseAbi(agentAbi);
  if (!plugin || !agent) return false;
  return plugin.major === agent.major && plugin.minor <= agent.minor;
}
