import type { AgentIdentity } from '@netifyd/plugin-sdk';

/**
 * The agent's presence on the status topic: `online` is published (retained) on every
 * connect, `offline` is registered as the last will and also published at a clean stop
 * (a clean DISCONNECT makes the broker discard the will). `timestamp` is when the message
 * was made: for the will, the time of the connection that registered it.
 * Keys are sorted, as in every message the agent emits.
 */
export function statusMessage(agent: AgentIdentity, online: boolean, now: number = Date.now()): Buffer {
  return Buffer.from(
    JSON.stringify({
      agent_version: agent.version,
      build_version: agent.buildVersion,
      status: online ? 'online' : 'offline',
      timestamp: Math.floor(now / 1000),
      type: 'agent_status',
      uuid: agent.uuid,
      uuid_serial: agent.uuidSerial,
    }),
  );
}
