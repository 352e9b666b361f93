import { Ajv2020, type ErrorObject, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import { PluginConfigError } from './errors.js';

export type JsonSchema = Record<string, unknown>;

export interface ConfigValidatorOptions {
  /** Fill `default` values from the schema into the config (default true). */
  readonly useDefaults?: boolean;
  /** Further schemas the main one `$ref`s, e.g. Netify's published schema it extends. */
  readonly schemas?: readonly JsonSchema[];
}

export type ConfigValidator<T> = (config: unknown, file: string) => T;

/**
 * Compiles a plugin's JSON schema (draft 2020-12) once and returns a function that
 * validates a parsed config. On failure it throws a PluginConfigError whose message is
 * one line: `<file>: <JSON path> <what was expected> (got <value>)`.
 */
export function createConfigValidator<T>(schema: JsonSchema, options: ConfigValidatorOptions = {}): ConfigValidator<T> {
  const ajvOptions: Options = { strict: false, allErrors: false, useDefaults: options.useDefaults ?? true };
  const ajv = new Ajv2020(ajvOptions);
  for (const extra of options.schemas ?? []) ajv.addSchema(extra);
  const validate: ValidateFunction = ajv.compile(schema);
  return (config: unknown, file: string): T => {
    if (validate(config)) return config as T;
    const error = pickError(validate.errors ?? []);
    const path = errorPath(error);
    throw new PluginConfigError(file, path, `${file}: ${describeError(error, config)}`);
  };
}

function pickError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  // Prefer the deepest error: it names the key the user actually got wrong.
  let best: ErrorObject | undefined;
  for (const error of errors) {
    if (!best || errorPath(error).length > errorPath(best).length) best = error;
  }
  return best;
}

function errorPath(error: ErrorObject | undefined): string {
  if (!error) return '/';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return `${error.instancePath}/${String(params.missingProperty)}`;
  if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
    const key = params.additionalProperty ?? params.unevaluatedProperty;
    return `${error.instancePath}/${String(key)}`;
  }
  return error.instancePath || '/';
}

function describeError(error: ErrorObject | undefined, config: unknown): string {
  if (!error) return '/ is not valid';
  const path = errorPath(error);
  const params = error.params as Record<string, unknown>;
  const got = () => (isSecretPath(error.instancePath) ? '' : ` (got ${show(valueAt(config, error.instancePath))})`);
  switch (error.keyword) {
    case 'required':
      return `${path} is required`;
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return `${path} is not a known key`;
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[]).map(show).join(', ')}${got()}`;
    case 'const':
      return `${path} must be ${show(params.allowedValue)}${got()}`;
    case 'type':
      return `${path} must be ${String(params.type)}${got()}`;
    default:
      return `${path} ${error.message ?? 'is not valid'}${got()}`;
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  if (!pointer) return root;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Values of keys like `pass` or `token` never reach a log line. */
function isSecretPath(pointer: string): boolean {
  return /(^|\/)[^/]*(pass|password|secret|token|key)$/i.test(pointer);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
