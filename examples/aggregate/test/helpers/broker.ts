import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXAMPLE_ETC } from './paths.js';
import { delay } from './wait.js';

const MOSQUITTO = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = process.env.MOSQUITTO_PASSWD_BIN ?? 'mosquitto_passwd';

/**
 * A real Mosquitto started from the example's `etc/broker/` (mosquitto.conf, acl) in
 * `dir`: the listener moved to a free 127.0.0.1 port, a password file made with
 * mosquitto_passwd for `users`, logging to stderr.
 */
export class Broker {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(dir: string, users: Readonly<Record<string, string>>): Promise<Broker> {
    const port = await freePort();
    const example = await readFile(join(EXAMPLE_ETC, 'broker/mosquitto.conf'), 'utf8');
    const listener = 'listener 1883 127.0.0.1';
    if (!example.includes(listener)) throw new Error(`example mosquitto.conf lost its "${listener}" line`);
    const extra = ['log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice', 'connection_messages true'];
    // Started as root, mosquitto would switch to its own user and lose access to dir.
    if (process.getuid?.() === 0) extra.push('user root');
    await writeFile(join(dir, 'mosquitto.conf'), `${example.replace(listener, `listener ${port} 127.0.0.1`)}\n${extra.join('\n')}\n`);
    await copyFile(join(EXAMPLE_ETC, 'broker/acl'), join(dir, 'acl'));
    for (const [index, [user, pass]] of Object.entries(users).entries()) {
      const create = index === 0 ? ['-c'] : [];
      await promisify(execFile)(MOSQUITTO_PASSWD, [...create, '-b', join(dir, 'passwd'), user, pass]);
    }
    const child = spawn(MOSQUITTO, ['-c', 'mosquitto.conf'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const broker = new Broker(child, port);
    for (let tries = 0; tries < 100; tries += 1) {
      if (child.exitCode !== null) throw new Error(`mosquitto exited at start:\n${broker.log}`);
      if (await accepts(port)) return broker;
      await delay(50);
    }
    await broker.stop();
    throw new Error(`mosquitto did not listen on ${port} within 5 s:\n${broker.log}`);
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Everything the broker printed. */
  get log(): string {
    return this.output;
  }

  /** SIGTERM, waiting for the exit; SIGKILL after 5 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
