import { CollectorError } from './collector-error.js';

/**
 * A subscription filter whose single `+` level is the agent uuid, e.g. `netify/+/flows`:
 * `agentOf('netify/AG-01/flows')` is `AG-01`.
 */
export class AgentTopic {
  private readonly levels: readonly string[];
  private readonly agentLevel: number;

  constructor(readonly filter: string) {
    this.levels = filter.split('/');
    this.agentLevel = this.levels.indexOf('+');
    const wildcardLevels = this.levels.filter((level) => /[+#]/.test(level));
    if (wildcardLevels.length !== 1 || this.agentLevel < 0) {
      throw new CollectorError(
        'ERR_COLLECTOR_TOPIC',
        `topic filter must have exactly one wildcard, a whole "+" level for the agent uuid (got "${filter}")`,
      );
    }
  }

  /** The agent uuid of a topic matching the filter, else undefined. */
  agentOf(topic: string): string | undefined {
    const levels = topic.split('/');
    if (levels.length !== this.levels.length) return undefined;
    for (const [index, level] of this.levels.entries()) {
      if (index !== this.agentLevel && levels[index] !== level) return undefined;
    }
    return levels[this.agentLevel] || undefined;
  }
}
