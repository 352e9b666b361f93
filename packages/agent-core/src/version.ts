import { readFileSync } from 'node:fs';
import { arch, release, type } from 'node:os';
import { PLUGIN_ABI } from '@netifyd/plugin-sdk';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export const AGENT_VERSION: string = pkg.version;

/** netifyd-style build string: `<name>/<version> (<os>; <kernel>; <cpu>; <features>)`. */
export const BUILD_VERSION = `netifyd-ts/${AGENT_VERSION} (${type()}; ${release()}; ${arch()}; node/${process.versions.node}; plugin-abi/${PLUGIN_ABI})`;

export function versionText(): string {
  return `netifyd-ts ${AGENT_VERSION} (plugin ABI ${PLUGIN_ABI}, Node.js ${process.versions.node})\n`;
}
