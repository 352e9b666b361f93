import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { delay } from '@netifyd/plugin-sdk/testing';

const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = process.env.MOSQUITTO_PASSWD_BIN ?? 'mosquitto_passwd';

export interface BrokerOptions {
  /** TLS on the main listener. */
  readonly tls?: { readonly caFile: string; readonly certFile: string; readonly keyFile: string; readonly requireClientCert?: boolean };
  /** Only these users may connect (password file made with mosquitto_passwd). */
  readonly users?: Readonly<Record<string, string>>;
  /** Also open a WebSocket listener (`wsPort`). */
  readonly websockets?: boolean;
  /** Keep sessions and queued messages across a restart (persistence file in the broker's dir). */
  readonly persistence?: boolean;
}

/**
 * A real Mosquitto broker on free 127.0.0.1 ports with a config generated in `dir`.
 * `stop()` then `start()` restarts it on the same ports (a broker outage).
 */
export class Mosquitto {
  private process: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly wsPort: number | undefined,
    private readonly configFile: string,
  ) {}

  static async create(dir: string, options: BrokerOptions = {}): Promise<Mosquitto> {
    const port = await freePort();
    const wsPort = options.websockets ? await freePort() : undefined;
    const lines = [
      // Started as root (CI containers), mosquitto would switch to its own user and lose access to dir.
      'user root',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      'connection_messages true',
      'max_queued_messages 0',
      `persistence ${options.persistence ? 'true' : 'false'}`,
      `persistence_location ${dir}/`,
      `listener ${port} 127.0.0.1`,
    ];
    // TLS settings belong to the listener above them: both listeners get them.
    const tls = options.tls
      ? [
          `cafile ${options.tls.caFile}`,
          `certfile ${options.tls.certFile}`,
          `keyfile ${options.tls.keyFile}`,
          `require_certificate ${options.tls.requireClientCert ? 'true' : 'false'}`,
        ]
      : [];
    lines.push(...tls);
    if (wsPort !== undefined) lines.push(`listener ${wsPort} 127.0.0.1`, 'protocol websockets', ...tls);
    if (options.users) {
      const passwordFile = join(dir, 'passwd');
      for (const [index, [user, pass]] of Object.entries(options.users).entries()) {
        const args = index === 0 ? ['-c', '-b', passwordFile, user, pass] : ['-b', passwordFile, user, pass];
        await promisify(execFile)(MOSQUITTO_PASSWD, args);
      }
      lines.push('allow_anonymous false', `password_file ${passwordFile}`);
    } else {
      lines.push('allow_anonymous true');
    }
    const configFile = join(dir, 'mosquitto.conf');
    await writeFile(configFile, `${lines.join('\n')}\n`);
    const broker = new Mosquitto(dir, port, wsPort, configFile);
    await broker.start();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Everything the broker printed (for assertions and failure messages). */
  get log(): string {
    return this.output;
  }

  async start(): Promise<void> {
    if (this.process) return;
    const child = spawn(MOSQUITTO, ['-c', this.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.once('exit', () => {
      if (this.process === child) this.process = undefined;
    });
    for (let tries = 0; tries < 100; tries += 1) {
      if (!this.process) throw new Error(`mosquitto exited at start:\n${this.output}`);
      if (await accepts(this.port)) return;
      await delay(50);
    }
    await this.stop();
    throw new Error(`mosquitto did not listen on ${this.port} within 5 s:\n${this.output}`);
  }

  /** SIGTERM (mosquitto saves its persistence file), waiting for exit; SIGKILL after 5 s. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
