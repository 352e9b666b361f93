import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from './errors.js';

export type TrafficScript =
  | 'banner-client'
  | 'banner-server'
  | 'dns-client'
  | 'dns-server'
  | 'http-client'
  | 'http-server'
  | 'tls-client'
  | 'tls-server'
  | 'udp-client'
  | 'udp-echo-server';

// This module lives in src/ (tests) or dist/ (built); the scripts always run from dist/.
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Absolute path of a built traffic script; fails clearly if the package was not built. */
export function trafficScriptPath(script: TrafficScript): string {
  const path = join(packageRoot, 'dist', 'traffic', `${script}.js`);
  if (!existsSync(path)) {
    throw new LabError(
      'ERR_LAB_NOT_BUILT',
      `${path} is missing: build the tool first (npx tsc -p tools/netns-lab/tsconfig.build.json)`,
    );
  }
  return path;
}

/** argv that runs a traffic script with this Node binary. */
export function trafficCommand(script: TrafficScript, args: readonly string[]): string[] {
  return [process.execPath, trafficScriptPath(script), ...args];
}
