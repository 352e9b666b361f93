import { ConfigError } from '../errors.js';

export interface IniEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based line number, for error messages. */
  readonly line: number;
}

export interface IniSection {
  readonly name: string;
  readonly line: number;
  readonly entries: IniEntry[];
}

/**
 * The INI dialect of netifyd.conf and plugins.d loader files: `[section]` headers,
 * `key = value` lines, whole-line `#`/`;` comments, optional double quotes around values.
 * Hand-written rather than taken from a library because error messages need line numbers
 * and `--enable-plugin` must rewrite one line while keeping every other byte.
 */
export class IniFile {
  readonly sections: IniSection[] = [];

  constructor(readonly file: string, text: string) {
    let current: IniSection | undefined;
    const lines = text.split(/\r?\n/);
    lines.forEach((raw, index) => {
      const line = raw.trim();
      const lineNo = index + 1;
      if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
      const header = /^\[([^\]]+)\]$/.exec(line);
      if (header) {
        current = { name: header[1]!.trim(), line: lineNo, entries: [] };
        this.sections.push(current);
        return;
      }
      const eq = line.indexOf('=');
      if (eq <= 0) {
        throw new ConfigError('ERR_CONFIG_SYNTAX', `${file}:${lineNo}: expected "key = value" or "[section]" (got ${JSON.stringify(line)})`);
      }
      if (!current) {
        throw new ConfigError('ERR_CONFIG_SYNTAX', `${file}:${lineNo}: "${line.slice(0, eq).trim()}" appears before any [section]`);
      }
      current.entries.push({ key: line.slice(0, eq).trim(), value: unquote(line.slice(eq + 1).trim()), line: lineNo });
    });
  }

  section(name: string): IniSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** A section as key → value (last assignment wins), or undefined when absent. */
  values(name: string): Record<string, string> | undefined {
    const section = this.section(name);
    if (!section) return undefined;
    const out: Record<string, string> = {};
    for (const entry of section.entries) out[entry.key] = entry.value;
    return out;
  }
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/**
 * Returns `text` with `key`'s value in `[section]` set to `value`, changing only that
 * line (its indentation and the spacing around `=` are kept). When the key is absent it
 * is inserted right after the section header. Returns undefined if the section is absent.
 */
export function setIniValue(text: string, section: string, key: string, value: string): string | undefined {
  const lines = text.split('\n');
  let inSection = false;
  let headerIndex = -1;
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.replace(/\r$/, '').trim();
    const header = /^\[([^\]]+)\]$/.exec(trimmed);
    if (header) {
      if (inSection) break;
      inSection = header[1]!.trim() === section;
      if (inSection) headerIndex = i;
      continue;
    }
    if (!inSection || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const match = /^(\s*)([^=\s][^=]*?)(\s*=\s*)(.*?)(\r?)$/.exec(lines[i]!);
    if (match && match[2]!.trim() === key) {
      lines[i] = `${match[1]}${match[2]}${match[3]}${value}${match[5]}`;
      return lines.join('\n');
    }
  }
  if (headerIndex < 0) return undefined;
  const eol = lines[headerIndex]!.endsWith('\r') ? '\r' : '';
  lines.splice(headerIndex + 1, 0, `${key} = ${value}${eol}`);
  return lines.join('\n');
}

/** netifyd's INI booleans. */
export function parseIniBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (['yes', 'true', 'on', '1'].includes(v)) return true;
  if (['no', 'false', 'off', '0'].includes(v)) return false;
  return undefined;
}
