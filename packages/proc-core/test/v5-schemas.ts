/**
 * Netify's published v5 JSON schemas, read from the project's design folder next to the
 * repository (`../shared/design/netify-v5-schemas/` from the repository root) or from
 * $NETIFY_V5_SCHEMAS. They are not copied into the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

const schemaDir =
  process.env.NETIFY_V5_SCHEMAS ?? fileURLToPath(new URL('../../../../shared/design/netify-v5-schemas/', import.meta.url));

export function readV5Schema(file: string): Record<string, unknown> {
  const path = join(schemaDir, file);
  if (!existsSync(path)) {
    throw new Error(`Netify v5 schema ${file} not found in ${schemaDir}; set NETIFY_V5_SCHEMAS to the folder holding it`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

export function compileV5Schema(file: string): ValidateFunction {
  return new Ajv2020({ strict: false, allErrors: true }).compile(readV5Schema(file));
}

/** The telemetry schema each wire message type must validate against. */
export const TELEMETRY_SCHEMA_FILES: Readonly<Record<string, string>> = {
  flow: 'netify-telemetry-flow.json',
  flow_dpi_update: 'netify-telemetry-flow.json',
  flow_dpi_complete: 'netify-telemetry-flow.json',
  flow_stats: 'netify-telemetry-flow-stats.json',
  flow_purge: 'netify-telemetry-flow-purge.json',
  interfaces: 'netify-telemetry-interfaces.json',
  interface_stats: 'netify-telemetry-interface-stats.json',
  global_stats: 'netify-telemetry-interface-stats.json',
  endpoints: 'netify-telemetry-endpoints.json',
  agent_status: 'netify-telemetry-agent-status.json',
};
