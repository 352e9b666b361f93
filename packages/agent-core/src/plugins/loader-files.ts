import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expandTemplate, type PluginKind } from '@netifyd/plugin-sdk';
import type { AgentPaths } from '../config/agent-config.js';
import { IniFile, parseIniBoolean } from '../config/ini-file.js';
import { ConfigError } from '../errors.js';

/** One plugin instance declared in a plugins.d loader file. */
export interface PluginEntry {
  /** Section name = instance name, e.g. `sink-log`. */
  readonly name: string;
  readonly kind: PluginKind;
  readonly enabled: boolean;
  /** `plugin_library` as written. */
  readonly library: string;
  /** `conf_filename` with variables expanded, if given. */
  readonly configFile: string | undefined;
  /** The loader file that declares it. */
  readonly loaderFile: string;
}

const LOADER_KEYS = new Set(['enable', 'plugin_library', 'conf_filename']);

/** Loader files: regular files whose name starts with a digit and ends in `.conf`, sorted by name. */
export function listLoaderFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError('ERR_CONFIG_READ', `${dir}: cannot list plugin loader files (${(error as NodeJS.ErrnoException).code})`);
  }
  return names
    .filter((name) => /^\d.*\.conf$/.test(name))
    .sort()
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** Reads every loader file in `paths.plugins`. Throws ConfigError naming file and key. */
export function readPluginEntries(paths: AgentPaths): PluginEntry[] {
  const variables = {
    path_state_persistent: paths.persistent,
    path_state_volatile: paths.volatile,
    path_plugins: paths.plugins,
    path_interfaces: paths.interfaces,
    path_app_config: paths.appConfig,
    path_category_config: paths.categoryConfig,
    path_categories: paths.categories,
  };
  const entries: PluginEntry[] = [];
  for (const file of listLoaderFiles(paths.plugins)) {
    const ini = new IniFile(file, readFileSync(file, 'utf8'));
    for (const section of ini.sections) {
      const kind = kindOf(section.name);
      if (!kind) continue;
      const where = `${file}:${section.line}: [${section.name}]`;
      const duplicate = entries.find((e) => e.name === section.name);
      if (duplicate) {
        throw new ConfigError('ERR_PLUGIN_DUPLICATE', `${where}: plugin "${section.name}" is already declared in ${duplicate.loaderFile}`);
      }
      const values: Record<string, string> = {};
      for (const entry of section.entries) {
        if (!LOADER_KEYS.has(entry.key)) {
          throw new ConfigError('ERR_CONFIG_KEY', `${file}:${entry.line}: [${section.name}] ${entry.key}: unknown key (expected enable, plugin_library, conf_filename)`);
        }
        values[entry.key] = entry.value;
      }
      const enabled = values.enable === undefined ? true : parseIniBoolean(values.enable);
      if (enabled === undefined) {
        throw new ConfigError('ERR_CONFIG_VALUE', `${where} enable must be yes or no (got ${JSON.stringify(values.enable)})`);
      }
      if (!values.plugin_library) {
        throw new ConfigError('ERR_CONFIG_KEY', `${where} plugin_library is required (a module name such as @netifyd/${section.name}, or a path)`);
      }
      entries.push({
        name: section.name,
        kind,
        enabled,
        library: values.plugin_library,
        configFile: values.conf_filename ? expandTemplate(values.conf_filename, variables) : undefined,
        loaderFile: file,
      });
    }
  }
  return entries;
}

/** netifyd's rule: the section name's prefix says what the plugin is. */
export function kindOf(section: string): PluginKind | undefined {
  if (section.startsWith('proc-')) return 'processor';
  if (section.startsWith('sink-')) return 'sink';
  return undefined;
}

/**
 * netifyd 5 loader files name shared objects (`libnetify-sink-log.so.0.0.0`); the plugins
 * of the same name here are npm packages, so such a path maps to `@netifyd/<name>`.
 */
export function moduleForLibrary(library: string): string {
  const so = /^libnetify-((?:proc|sink)-[a-z0-9-]+)\.so(\.\d+)*$/.exec(basename(library));
  return so ? `@netifyd/${so[1]}` : library;
}
