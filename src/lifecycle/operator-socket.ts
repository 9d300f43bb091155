import { chmodSync, lstatSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { RequestListener } from 'node:http';
import { markUnixSocketPeer } from '../common/request-origin';
import { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/config.error';

/** Whether something accepts connections on the socket at `path`. */
export function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/**
 * The same app, served on a Unix socket in the state directory as well as on TCP. The
 * operator CLI sends the operator token only here: any local user can bind the TCP port
 * while the bridge restarts and read what the CLI sends it, but only the service user
 * (and root) can create a file in this directory, so whoever answers here is the bridge.
 */
@Injectable()
export class OperatorSocket implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OperatorSocket');
  private server?: Server;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const path = this.config.operatorSocket;
    this.checkDirectory(dirname(path));
    await this.removeStale(path);
    const server = createServer(this.adapterHost.httpAdapter.getInstance<RequestListener>());
    server.on('connection', markUnixSocketPeer);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    // Connecting needs write permission on the socket: its owner's, and root's.
    chmodSync(path, 0o600);
    this.server = server;
    this.logger.log(`Operator commands are served on ${path}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
  }

  /** Made 0700 if missing; refused if another user owns it or could put a socket in it. */
  private checkDirectory(dir: string): void {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { uid, mode } = statSync(dir);
    const problem =
      uid !== process.getuid?.()
        ? `its directory ${dir} belongs to uid ${uid}, not to the user the bridge runs as: chown ${userInfo().username} ${dir}`
        : (mode & 0o022) !== 0
          ? `its directory ${dir} can be written by other users, who could put their own socket there: chmod 700 ${dir}`
          : undefined;
    if (problem) throw new ConfigError([`SMS_OPERATOR_SOCKET: ${problem}`]);
  }

  /** A socket left by a bridge that was killed is removed; a live one means a second bridge. */
  private async removeStale(path: string): Promise<void> {
    let isSocket: boolean;
    try {
      isSocket = lstatSync(path).isSocket();
    } catch {
      return;
    }
    if (!isSocket) {
      throw new ConfigError([
        `SMS_OPERATOR_SOCKET: ${path} exists and is not a socket: move it away or choose another path`,
      ]);
    }
    if (await answers(path)) {
      throw new ConfigError([
        `SMS_OPERATOR_SOCKET: a process already listens on ${path}: is another sms-bridge running on this state directory?`,
      ]);
    }
    unlinkSync(path);
  }
}
