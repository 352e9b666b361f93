import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from './errors.js';
import { runCommand } from './run-command.js';

export interface TestCertificate {
  dir: string;
  /** The test CA clients trust (and nothing else), so verification stays on. */
  caPath: string;
  /** Server certificate: CN = first hostname, subjectAltName = all hostnames. */
  certPath: string;
  keyPath: string;
  hostnames: readonly string[];
  /** Removes the temporary directory holding the keys. */
  remove(): Promise<void>;
}

const HOSTNAME_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const VALID_DAYS = '365'; // nDPI flags certificates expiring within 30 days
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * A throw-away test CA and a P-256 server certificate it signed, made with the openssl
 * CLI at run time (a CA rather than a self-signed leaf, so captures look like ordinary
 * HTTPS). Keys stay in a 0700 temporary directory.
 */
export async function createTestCertificate(hostnames: readonly string[]): Promise<TestCertificate> {
  const [commonName] = hostnames;
  if (commonName === undefined) throw new LabError('ERR_LAB_OPTION', 'createTestCertificate: give at least one hostname');
  for (const name of hostnames) {
    if (!HOSTNAME_PATTERN.test(name)) {
      throw new LabError('ERR_LAB_OPTION', `createTestCertificate: ${JSON.stringify(name)} is not a DNS hostname`);
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'netns-lab-cert-'));
  await chmod(dir, 0o700);
  const path = (name: string): string => join(dir, name);
  const run = (argv: string[]): Promise<unknown> => runCommand(['openssl', ...argv], { timeoutMs: 15_000 });
  try {
    await run(['req', '-x509', ...EC_KEY, '-days', VALID_DAYS, '-keyout', path('ca-key.pem'), '-out', path('ca.pem'),
      '-subj', '/O=netns-lab/CN=netns-lab test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
    await run(['req', '-new', ...EC_KEY, '-keyout', path('key.pem'), '-out', path('server.csr'),
      '-subj', `/CN=${commonName}`,
      '-addext', `subjectAltName=${hostnames.map((name) => `DNS:${name}`).join(',')}`]);
    await run(['x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca-key.pem'),
      '-CAcreateserial', '-days', VALID_DAYS, '-copy_extensions', 'copy', '-out', path('cert.pem')]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    caPath: path('ca.pem'),
    certPath: path('cert.pem'),
    keyPath: path('key.pem'),
    hostnames: [...hostnames],
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
