// Ensures the prebuilt addon in prebuilds/linux-x64 (npm run prebuild) loads and works on
// its own: PREBUILDS_ONLY=1 stops node-gyp-build from falling back to build/.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageDir } from './helpers/corpus.js';

const prebuildDir = join(packageDir, 'prebuilds', `${process.platform}-${process.arch}`);
const prebuilt = existsSync(prebuildDir) ? readdirSync(prebuildDir).filter((f) => f.endsWith('.node')) : [];
if (prebuilt.length === 0) console.warn(`native-dpi: prebuild test skipped: nothing in ${prebuildDir} (run npm run prebuild)`);

describe.skipIf(prebuilt.length === 0)('prebuilt addon', () => {
  it('loads with PREBUILDS_ONLY=1 and reports nDPI 4.2', () => {
    const script = "import('./dist/index.js').then((m) => console.log(m.Engine.ndpiVersion(), m.Engine.ndpiProtocols().length))";
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
      env: { ...process.env, PREBUILDS_ONLY: '1' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout).toMatch(/^4\.2\S* \d{3}\n$/);
  });

  it('links nDPI statically: no libndpi among its shared libraries, none of its symbols exported', () => {
    const file = join(prebuildDir, prebuilt[0] as string);
    const libraries = execFileSync('ldd', [file], { encoding: 'utf8' });
    expect(libraries).not.toMatch(/libndpi/);
    expect(libraries).toMatch(/libpcap/);
    expect(libraries).toMatch(/libgcrypt/);
    const symbols = execFileSync('nm', ['-D', '--defined-only', file], { encoding: 'utf8' });
    expect(symbols).not.toMatch(/ndpi_/);
    expect(symbols).toMatch(/napi_register_module_v1/);
  });
});
