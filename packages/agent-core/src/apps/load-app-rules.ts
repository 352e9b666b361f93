import { existsSync, readFileSync } from 'node:fs';
import { NetifydError, type Logger } from '@netifyd/plugin-sdk';
import type { AgentConfig } from '../config/agent-config.js';
import { parseIniBoolean } from '../config/ini-file.js';
import { DATA_DIR } from '../flow/data-files.js';
import { AppDefinitions } from './app-definitions.js';
import type { AppSnapshot } from './app-rules.js';
import { CategoryTable } from './categories.js';
import { parseDefinitions, type DefinitionIssue } from './definitions-parser.js';
import { loadDomainCategories } from './domain-categories.js';

/** The project's own open definitions and categories, shipped in the package's `data/`. */
export const PACKAGED_APPS_FILE = `${DATA_DIR}netify-apps.conf`;
export const PACKAGED_CATEGORIES_FILE = `${DATA_DIR}netify-categories.json`;

const ISSUES_LOGGED = 20;

/** Reads and checks one definitions file; unreadable → ERR_APPS_READ naming the file. */
export function readDefinitions(file: string): AppDefinitions {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new NetifydError('ERR_APPS_READ', `${file}: cannot read application definitions (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return new AppDefinitions(parseDefinitions(text, file));
}

/** Reads one categories JSON file; throws with the file named when it is unreadable or malformed. */
export function readCategories(file: string): CategoryTable {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not valid JSON: ${error.message}` : `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    throw new NetifydError('ERR_CATEGORIES', `${file}: ${reason}`);
  }
  return CategoryTable.fromJson(document, file);
}

/** Logs rejected lines, the first ISSUES_LOGGED of them one by one. */
export function logIssues(log: Logger, issues: readonly DefinitionIssue[]): void {
  for (const issue of issues.slice(0, ISSUES_LOGGED)) log.warn(`${issue.file}${issue.line > 0 ? `:${issue.line}` : ''}: ${issue.reason}`);
  if (issues.length > ISSUES_LOGGED) log.warn(`${issues.length - ISSUES_LOGGED} more problems in ${issues[0]!.file} not shown`);
}

/**
 * Loads the definitions (`path_app_config`), categories (`path_category_config`) and, with
 * `dotd_categories`, the `categories.d` domain lists (`path_categories`). A configured file
 * that is missing, unreadable or defines no application gives way to the packaged one, with
 * a warning; rejected lines are logged with file, line and reason and never stop the rest.
 */
export function loadAppSnapshot(config: AgentConfig, log: Logger): AppSnapshot {
  const netifyd = config.sections.get('netifyd') ?? {};
  const readAndReport = (file: string) => {
    const loaded = readDefinitions(file);
    logIssues(log, loaded.issues);
    return loaded;
  };
  const definitions = loadWithFallback(config.paths.appConfig, PACKAGED_APPS_FILE, netifyd.path_app_config !== undefined, log, readAndReport, (loaded) =>
    loaded.counts.apps > 0 ? undefined : 'defines no application',
  );
  const { apps, domains, networks, transforms, soft_dissectors } = definitions.counts;
  log.debug(`application definitions ${definitions.file}: ${apps} applications, ${domains} domains, ${networks} networks, ${transforms} transforms, ${soft_dissectors} soft dissectors${definitions.issues.length > 0 ? `, ${definitions.issues.length} lines rejected` : ''}`);
  const categories = loadWithFallback(config.paths.categoryConfig, PACKAGED_CATEGORIES_FILE, netifyd.path_category_config !== undefined, log, readCategories, () => undefined);
  let domainCategories: AppSnapshot['domainCategories'];
  if (netifyd.dotd_categories === undefined || parseIniBoolean(netifyd.dotd_categories) !== false) {
    const loaded = loadDomainCategories(config.paths.categories, categories);
    logIssues(log, loaded.issues);
    if (loaded.domains.size > 0) {
      domainCategories = loaded.domains;
      log.debug(`domain categories ${config.paths.categories}: ${loaded.domains.size} domains`);
    }
  }
  return { definitions, categories, domainCategories };
}

function loadWithFallback<T>(
  configured: string,
  packaged: string,
  explicit: boolean,
  log: Logger,
  read: (file: string) => T,
  unusable: (loaded: T) => string | undefined,
): T {
  if (configured !== packaged && existsSync(configured)) {
    try {
      const loaded = read(configured);
      const problem = unusable(loaded);
      if (problem === undefined) return loaded;
      log.warn(`${configured} ${problem}; using the packaged ${packaged}`);
    } catch (error) {
      log.error(`${(error as Error).message}; using the packaged ${packaged}`);
    }
  } else if (explicit && configured !== packaged) {
    log.warn(`${configured} does not exist; using the packaged ${packaged}`);
  }
  return read(packaged);
}
