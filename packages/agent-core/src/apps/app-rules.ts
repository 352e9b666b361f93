import type { AppDefinitions } from './app-definitions.js';
import type { CategoryTable } from './categories.js';
import type { DomainIndex } from './domain-index.js';

/** What one load of the definitions and category files produced; never changed afterwards. */
export interface AppSnapshot {
  readonly definitions: AppDefinitions;
  readonly categories: CategoryTable | undefined;
  /** `categories.d` domain lists (host → application-category id), when enabled. */
  readonly domainCategories: DomainIndex<number> | undefined;
}

/**
 * The definitions in force. A flow takes the current snapshot when it is first seen and
 * keeps it, so a reload (SIGHUP) changes the result of new flows only.
 */
export class AppRules {
  constructor(public current: AppSnapshot) {}
}
