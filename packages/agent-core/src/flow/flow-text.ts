/** String rules netifyd applies to extracted metadata (FORMATS §2.2–2.3). */

/** netifyd's host-name buffer (nDPI host_server_name): 80 characters. */
export const HOSTNAME_MAX = 80;

function isHostChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 45 || code === 46 || code === 95;
}

/**
 * Host name as netifyd stores it: the first `max` characters, lowercased, cut at the first
 * character outside `[a-z0-9._-]`, trailing dots removed.
 */
export function sanitizeHostName(raw: string, max = HOSTNAME_MAX): string {
  const limit = Math.min(raw.length, max);
  let end = 0;
  while (end < limit && isHostChar(raw.charCodeAt(end))) end++;
  while (end > 0 && raw.charCodeAt(end - 1) === 46) end--;
  return raw.slice(0, end).toLowerCase();
}

/** Text cut at the first non-printable character (outside 0x20–0x7e), then to `max` chars. */
export function printablePrefix(text: string, max: number): string {
  const limit = Math.min(text.length, max);
  let end = 0;
  while (end < limit) {
    const code = text.charCodeAt(end);
    if (code < 0x20 || code > 0x7e) break;
    end++;
  }
  return end === text.length ? text : text.slice(0, end);
}

/** At most `max` characters (netifyd's fixed-size buffers hold max + NUL). */
export function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** `0x%04x`, e.g. 0x0303. */
export function hex4(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

/**
 * The CN of a distinguished name as nDPI prints it (`C=US, O=GitHub, Inc., CN=github.com`),
 * lowercased; '' when there is none. The last CN wins, as in the most specific RDN.
 */
export function commonName(dn: string): string {
  let found = '';
  let from = 0;
  for (;;) {
    const at = dn.indexOf('CN=', from);
    if (at < 0) break;
    if (at === 0 || dn[at - 1] === ' ' || dn[at - 1] === ',' || dn[at - 1] === '/') {
      const end = dn.indexOf(', ', at);
      found = dn.slice(at + 3, end < 0 ? dn.length : end);
    }
    from = at + 3;
  }
  return found.trim().toLowerCase();
}

/** Hex digest without separators, lowercase (`AB:CD:…` → `abcd…`). */
export function plainHex(text: string): string {
  return text.includes(':') ? text.replaceAll(':', '').toLowerCase() : text.toLowerCase();
}
