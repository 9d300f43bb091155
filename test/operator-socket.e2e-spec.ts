import { chmodSync, chownSync, lstatSync, mkdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { EXIT } from '../src/cli/cli';
import { AppConfig } from '../src/config/app-config';
import { countRows } from './helpers/db-file';
import { freePort } from './helpers/free-port';
import { cliWith } from './helpers/run-cli';
import { TestApp } from './helpers/test-app';
import { ON_POSTGRES } from './helpers/test-database';

/** Something that accepts connections and keeps every byte it is sent, as an impostor would. */
async function eavesdropper(
  listenOn: number | string,
): Promise<{ heard: () => string; server: Server }> {
  let heard = '';
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => (heard += chunk.toString('latin1')));
  });
  await new Promise<void>((resolve) =>
    typeof listenOn === 'number'
      ? server.listen(listenOn, '127.0.0.1', resolve)
      : server.listen(listenOn, resolve),
  );
  return { heard: () => heard, server };
}

const closeServer = (server: Server) => new Promise((resolve) => server.close(resolve));

/** A request over the operator socket, as curl --unix-socket sends it. */
function overSocket(
  socketPath: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('operator token custody', () => {
  let t: TestApp;
  let socketPath: string;

  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_REQUIRE_APPROVAL: 'true' } });
    socketPath = t.app.get(AppConfig).operatorSocket;
  });
  afterAll(() => t.close());

  it('serves the app on a socket in the state directory that only its owner may connect to', async () => {
    expect(socketPath).toBe(join(t.dir, 'operator.sock'));
    const socket = lstatSync(socketPath);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect(socket.uid).toBe(process.getuid?.());

    const health = await overSocket(socketPath, 'GET', '/sms/limits');
    expect(health.status).toBe(200);
    // The socket is not a way around the token: without it the operator's routes refuse.
    const refused = await overSocket(socketPath, 'POST', '/sms/backup');
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'operator_only' } } });
  });

  it('never sends the token to whatever listens on the bridge port, and decides over the socket', async () => {
    const port = await freePort();
    const impostor = await eavesdropper(port);
    try {
      const held = await t.http().post('/sms/send').send({ to: '+15550003333', body: 'held' });
      const { approvalId } = held.body as { approvalId: string };
      const atImpostor = (...argv: string[]) =>
        cliWith(port, { SMS_DATABASE_PATH: t.env.SMS_DATABASE_PATH }, ...argv);

      const approved = await atImpostor('approve', approvalId, '--json');
      expect(approved.code).toBe(EXIT.ok);
      expect(JSON.parse(approved.stdout)).toMatchObject({ approval: { status: 'approved' } });
      expect(t.simulator.messages.map((message) => message.body)).toEqual(['held']);

      expect((await atImpostor('approve-number', '+15550004444')).code).toBe(EXIT.ok);
      // On PostgreSQL the bridge refuses the backup (pg_dump): still over the socket.
      expect((await atImpostor('backup', join(t.dir, 'copy.db'))).code).toBe(
        ON_POSTGRES ? EXIT.refused : EXIT.ok,
      );
      expect(impostor.heard()).toBe('');
      expect(impostor.heard()).not.toContain(t.operatorToken);
    } finally {
      await closeServer(impostor.server);
    }
  });

  it('says the bridge is down, and sends nothing, when its socket is gone (a restart)', async () => {
    const port = await freePort();
    const impostor = await eavesdropper(port);
    try {
      const down = await cliWith(
        port,
        {
          SMS_DATABASE_PATH: t.env.SMS_DATABASE_PATH,
          SMS_OPERATOR_SOCKET: join(t.dir, 'absent.sock'),
        },
        'approve-number',
        '+15550005555',
      );
      expect(down.code).toBe(EXIT.down);
      expect(down.stderr).toContain(`The bridge is not answering at unix:${t.dir}/absent.sock`);
      expect(impostor.heard()).toBe('');
      expect(
        await countRows(t.env.SMS_DATABASE_PATH, 'contacts', 'number = ?', '+15550005555'),
      ).toBe(0);
    } finally {
      await closeServer(impostor.server);
    }
  });

  it('refuses to send the token to a socket in a directory other users can write', async () => {
    const open = join(t.dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const planted = await eavesdropper(join(open, 'operator.sock'));
    try {
      const refused = await cliWith(
        t,
        { SMS_OPERATOR_SOCKET: join(open, 'operator.sock') },
        'approve-number',
        '+15550006666',
        '--json',
      );
      expect(refused.code).toBe(EXIT.usage);
      expect(JSON.parse(refused.stdout)).toEqual({
        error: {
          code: 'operator_socket_untrusted',
          message: expect.stringContaining(`chmod 700 ${open}`),
        },
      });
      expect(planted.heard()).toBe('');
    } finally {
      await closeServer(planted.server);
    }
  });

  it("refuses to send the token to a socket that is not the token owner's", async () => {
    const dir = join(t.dir, 'private');
    mkdirSync(dir, { mode: 0o700 });
    const path = join(dir, 'operator.sock');
    const planted = await eavesdropper(path);
    try {
      // As root, the socket is handed to another user; otherwise the token file is.
      if (process.getuid?.() === 0) chownSync(path, 65534, 65534);
      const refused = await cliWith(
        t,
        {
          SMS_OPERATOR_SOCKET: path,
          ...(process.getuid?.() === 0 ? {} : { SMS_OPERATOR_TOKEN_FILE: '/etc/hostname' }),
        },
        'approve-number',
        '+15550007777',
      );
      expect(refused.code).toBe(EXIT.usage);
      expect(refused.stderr).toContain(`Not sending the operator token to ${path}`);
      expect(planted.heard()).toBe('');
    } finally {
      await closeServer(planted.server);
    }
  });

  it('will not start a second bridge on a socket another one serves', async () => {
    await expect(TestApp.create({ env: { SMS_OPERATOR_SOCKET: socketPath } })).rejects.toThrow(
      `SMS_OPERATOR_SOCKET: a process already listens on ${socketPath}`,
    );
    expect(lstatSync(socketPath).isSocket()).toBe(true);
    expect((await overSocket(socketPath, 'GET', '/sms/limits')).status).toBe(200);
  });

  it('will not start with its socket in a directory other users can write', async () => {
    const shared = join(t.dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    await expect(
      TestApp.create({ env: { SMS_OPERATOR_SOCKET: join(shared, 'operator.sock') } }),
    ).rejects.toThrow(
      `SMS_OPERATOR_SOCKET: its directory ${shared} can be written by other users, who could put their own socket there: chmod 700 ${shared}`,
    );
    expect(statSync(shared).mode & 0o777).toBe(0o777);
  });
});
