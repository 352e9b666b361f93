// Child processes and worker threads in the tests load the package's dist/: compile it
// from src/ first so they never run stale code.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { packageDir } from './helpers/corpus.js';

export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: packageDir, stdio: 'inherit' });
}
