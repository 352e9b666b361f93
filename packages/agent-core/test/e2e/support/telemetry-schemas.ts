import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { SCHEMA_DIR } from './paths.js';

/** Message type → Netify's v5 telemetry schema that covers it. */
const SCHEMA_OF_TYPE: Record<string, string> = {
  flow: 'flow',
  flow_dpi_update: 'flow',
  flow_dpi_complete: 'flow',
  flow_stats: 'flow-stats',
  flow_purge: 'flow-purge',
  interfaces: 'interfaces',
  interface_stats: 'interface-stats',
  global_stats: 'interface-stats',
  endpoints: 'endpoints',
  agent_status: 'agent-status',
};

const validators = new Map<string, ValidateFunction>();

function validatorFor(schema: string): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, `netify-telemetry-${schema}.json`), 'utf8')) as object);
    validators.set(schema, validate);
  }
  return validate;
}

/**
 * What is wrong with one emitted message, or undefined. Every type must have a schema,
 * except `agent_hello` (no v5 schema), which is checked against FORMATS §7.5.
 */
export function messageProblem(message: Record<string, unknown>): string | undefined {
  const type = message.type;
  if (type === 'agent_hello') {
    const ok = typeof message.agent_version === 'string' && typeof message.build_version === 'string' && message.json_version === 1.9;
    return ok ? undefined : `agent_hello: expected string agent_version/build_version and json_version 1.9 in ${JSON.stringify(message)}`;
  }
  const schema = typeof type === 'string' ? SCHEMA_OF_TYPE[type] : undefined;
  if (!schema) return `no v5 schema for message type ${JSON.stringify(type)}: ${JSON.stringify(message).slice(0, 200)}`;
  const validate = validatorFor(schema);
  if (validate(message)) return undefined;
  return `${String(type)} vs netify-telemetry-${schema}.json: ${JSON.stringify(validate.errors?.slice(0, 3))} in ${JSON.stringify(message).slice(0, 300)}`;
}

/** Problems of every message (empty when all validate); at most `limit` listed. */
export function invalidMessages(messages: ReadonlyArray<Record<string, unknown>>, limit = 10): string[] {
  const problems: string[] = [];
  for (const message of messages) {
    const problem = messageProblem(message);
    if (problem && problems.push(problem) >= limit) break;
  }
  return problems;
}
