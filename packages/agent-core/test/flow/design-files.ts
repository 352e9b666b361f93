import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/** The repository root. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The design references beside the repository (schemas, netifyd samples, tables). */
export const DESIGN_DIR = process.env.NETIFYD_DESIGN ?? resolve(REPO, '../shared/design');
export const SCHEMA_DIR = join(DESIGN_DIR, 'netify-v5-schemas');
export const SAMPLES_DIR = join(DESIGN_DIR, 'netifyd-samples');

export const haveSchemas = existsSync(join(SCHEMA_DIR, 'netify-telemetry-flow.json'));
export const haveSamples = existsSync(join(SAMPLES_DIR, '443-git.jsonl'));
if (!haveSchemas) console.log(`v5 telemetry schemas not found in ${SCHEMA_DIR} (set NETIFYD_DESIGN): schema checks skipped`);
if (!haveSamples) console.log(`netifyd samples not found in ${SAMPLES_DIR} (set NETIFYD_DESIGN): sample checks skipped`);

export type MessageKind = 'flow' | 'flow-stats' | 'flow-purge' | 'interface-stats' | 'interfaces' | 'endpoints';

const validators = new Map<MessageKind, ValidateFunction>();

/** Validates one message against `netify-telemetry-<kind>.json`; returns ajv's errors as text. */
export function schemaErrors(kind: MessageKind, message: unknown): string | undefined {
  let validate = validators.get(kind);
  if (!validate) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, `netify-telemetry-${kind}.json`), 'utf8')));
    validators.set(kind, validate);
  }
  if (validate(message)) return undefined;
  return `${kind}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(message).slice(0, 400)}`;
}

/** One netifyd sample file as parsed JSON lines. */
export function readSample(name: string): Array<Record<string, any>> {
  return readFileSync(join(SAMPLES_DIR, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, any>);
}
