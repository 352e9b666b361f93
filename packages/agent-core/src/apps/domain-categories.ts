import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CategoryTable } from './categories.js';
import type { DefinitionIssue } from './definitions-parser.js';
import { DomainIndex } from './domain-index.js';

const FILE_NAME = /^[0-9][^-]*-(.+)\.conf$/;
const DOMAIN = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;

/** Domain lists of `categories.d` (FORMATS §10.3): host name → application-category id. */
export interface DomainCategories {
  readonly domains: DomainIndex<number>;
  readonly issues: DefinitionIssue[];
}

/**
 * Reads `<dir>/<NN>-<category tag>.conf` files (name starting with a digit, ending `.conf`,
 * the tag known in the application categories), in name order. Lines `dom:<domain>` add a
 * label-suffix entry; `net:` lines are accepted and unused (as in netifyd); anything else is
 * reported and skipped. A missing directory is an empty list.
 */
export function loadDomainCategories(dir: string, categories: CategoryTable): DomainCategories {
  const result: DomainCategories = { domains: new DomainIndex<number>(), issues: [] };
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => FILE_NAME.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return result;
    result.issues.push({ file: dir, line: 0, reason: `cannot read the directory (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
    return result;
  }
  for (const name of names) {
    const file = join(dir, name);
    const tag = FILE_NAME.exec(name)![1]!;
    const category = categories.idOfTag('application', tag);
    if (category === undefined) {
      result.issues.push({ file, line: 0, reason: `category "${tag}" is not an application category of ${categories.file}; file skipped` });
      continue;
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      result.issues.push({ file, line: 0, reason: `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
      continue;
    }
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith('net:')) return;
      const domain = line.startsWith('dom:') ? line.slice(4).trim().toLowerCase() : undefined;
      if (domain === undefined || !DOMAIN.test(domain)) {
        result.issues.push({ file, line: index + 1, reason: `expected dom:<domain> (or net:<network>), got "${line}"` });
        return;
      }
      result.domains.add(domain, category);
    });
  }
  return result;
}
