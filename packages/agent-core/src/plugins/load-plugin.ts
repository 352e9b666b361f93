import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAbiCompatible, isNetifydError, NetifydError, PLUGIN_ABI, type PluginFactory } from '@netifyd/plugin-sdk';
import { moduleForLibrary, type PluginEntry } from './loader-files.js';

/** Imports the module a loader entry names and checks that it is a compatible plugin. */
export async function importPluginFactory(entry: PluginEntry): Promise<PluginFactory> {
  const specifier = moduleForLibrary(entry.library);
  const resolved = resolveModule(specifier, entry.loaderFile);
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(resolved).href)) as { default?: unknown };
  } catch (error) {
    throw new NetifydError('ERR_PLUGIN_LOAD', `plugin "${entry.name}": cannot import ${specifier} (${describe(error)})`);
  }
  const factory = module.default as Partial<PluginFactory> | undefined;
  if (!factory || typeof factory !== 'object' || typeof factory.create !== 'function' || typeof factory.abi !== 'string') {
    throw new NetifydError('ERR_PLUGIN_SHAPE', `plugin "${entry.name}": ${specifier} has no plugin factory as its default export (see @netifyd/plugin-sdk definePlugin)`);
  }
  if (!isAbiCompatible(factory.abi)) {
    throw new NetifydError(
      'ERR_PLUGIN_ABI',
      `plugin "${entry.name}" (${factory.name ?? specifier} ${factory.version ?? '?'}) needs plugin ABI ${factory.abi}; this agent provides ${PLUGIN_ABI}: not loaded`,
    );
  }
  if (factory.kind !== entry.kind) {
    throw new NetifydError('ERR_PLUGIN_KIND', `plugin "${entry.name}": ${specifier} is a ${String(factory.kind)}, but the section name says ${entry.kind}`);
  }
  return factory as PluginFactory;
}

function resolveModule(specifier: string, loaderFile: string): string {
  if (isAbsolute(specifier)) return specifier;
  if (specifier.startsWith('./') || specifier.startsWith('../')) return resolve(dirname(loaderFile), specifier);
  // Packages are looked up next to the loader file first (an operator's own plugins),
  // then from the agent's installation.
  for (const base of [resolve(dirname(loaderFile), 'index.js'), import.meta.url]) {
    try {
      return createRequire(base).resolve(specifier);
    } catch {
      // try the next base
    }
  }
  throw new NetifydError('ERR_PLUGIN_LOAD', `cannot find plugin module "${specifier}" (named in ${loaderFile}); is the package installed?`);
}

/** Reads a plugin's JSON config; undefined when the loader entry names none. */
export function readPluginConfig(entry: PluginEntry): unknown {
  if (!entry.configFile) return undefined;
  let text: string;
  try {
    text = readFileSync(entry.configFile, 'utf8');
  } catch (error) {
    throw new NetifydError('ERR_PLUGIN_CONFIG', `${entry.configFile}: cannot read the config of plugin "${entry.name}" (${describe(error)})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new NetifydError('ERR_PLUGIN_CONFIG', `${entry.configFile}: not valid JSON (${describe(error)})`);
  }
}

export function describe(error: unknown): string {
  if (isNetifydError(error)) return error.message;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.startsWith(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
