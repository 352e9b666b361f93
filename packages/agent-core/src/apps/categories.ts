import { ConfigError } from '../errors.js';

export type CategoryKind = 'application' | 'protocol';

export interface Category {
  readonly id: number;
  readonly tag: string;
}

interface KindTable {
  readonly categories: Category[];
  readonly byTag: Map<string, number>;
  readonly byMember: Map<number, number>;
}

const KINDS: readonly CategoryKind[] = ['application', 'protocol'];

/**
 * Application and protocol categories in netifyd's `netify-categories.json` shape (FORMATS
 * §10.3): `<kind>_tag_index` `{tag: id}` and `<kind>_index` `[[id, [member ids]]…]`, or the
 * legacy form `<kind>_index` `{tag: [member ids]}` with ids 1, 2, … in key order. A member
 * listed under several categories gets the lowest-numbered one.
 */
export class CategoryTable {
  private constructor(
    readonly file: string,
    private readonly tables: Readonly<Record<CategoryKind, KindTable>>,
  ) {}

  /** Checks and indexes a parsed categories document; throws ERR_CATEGORIES naming file and key. */
  static fromJson(document: unknown, file: string): CategoryTable {
    if (!isObject(document)) throw invalid(file, 'the document', 'a JSON object');
    const tables = {} as Record<CategoryKind, KindTable>;
    for (const kind of KINDS) tables[kind] = readKind(document, kind, file);
    return new CategoryTable(file, tables);
  }

  /** Category id of a member (application or protocol id); 0 when it has none. */
  categoryOf(kind: CategoryKind, member: number): number {
    return this.tables[kind].byMember.get(member) ?? 0;
  }

  /** Category id of a tag, if the table has that category. */
  idOfTag(kind: CategoryKind, tag: string): number | undefined {
    return this.tables[kind].byTag.get(tag);
  }

  /** Categories of one kind, by ascending id. */
  categories(kind: CategoryKind): readonly Category[] {
    return this.tables[kind].categories;
  }
}

function readKind(document: Record<string, unknown>, kind: CategoryKind, file: string): KindTable {
  const tagKey = `${kind}_tag_index`;
  const indexKey = `${kind}_index`;
  const tagIndex = document[tagKey];
  const index = document[indexKey];
  const table: KindTable = { categories: [], byTag: new Map(), byMember: new Map() };
  const assign = (category: number, members: unknown, where: string) => {
    if (!Array.isArray(members) || !members.every(isId)) throw invalid(file, where, 'an array of non-negative integer ids');
    for (const member of members) {
      const known = table.byMember.get(member);
      if (known === undefined || category < known) table.byMember.set(member, category);
    }
  };
  if (tagIndex === undefined) {
    if (index === undefined) return table;
    if (!isObject(index)) throw invalid(file, indexKey, `an object {"<tag>": [ids]} (legacy form) when ${tagKey} is absent`);
    Object.entries(index).forEach(([tag, members], position) => {
      table.byTag.set(tag, position + 1);
      assign(position + 1, members, `${indexKey}.${tag}`);
    });
  } else {
    if (!isObject(tagIndex)) throw invalid(file, tagKey, 'an object {"<tag>": <id>}');
    for (const [tag, id] of Object.entries(tagIndex)) {
      if (!isId(id) || id === 0) throw invalid(file, `${tagKey}.${tag}`, 'a positive integer category id');
      table.byTag.set(tag, id);
    }
    if (index !== undefined) {
      if (!Array.isArray(index)) throw invalid(file, indexKey, 'an array of [<category id>, [ids]] pairs');
      index.forEach((pair: unknown, position) => {
        const where = `${indexKey}[${position}]`;
        if (!Array.isArray(pair) || pair.length !== 2 || !isId(pair[0])) throw invalid(file, where, 'a [<category id>, [ids]] pair');
        assign(pair[0], pair[1], `${where}[1]`);
      });
    }
  }
  for (const [tag, id] of table.byTag) table.categories.push({ id, tag });
  table.categories.sort((a, b) => a.id - b.id);
  return table;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function invalid(file: string, where: string, expected: string): ConfigError {
  return new ConfigError('ERR_CATEGORIES', `${file}: ${where} must be ${expected}`);
}
