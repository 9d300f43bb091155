import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './helpers/free-port';
import { TestApp } from './helpers/test-app';

const hasCaddy = spawnSync('caddy', ['version'], { stdio: 'ignore' }).status === 0;
if (!hasCaddy) console.warn('caddy is not installed: skipping the deploy/Caddyfile e2e test');

/** deploy/Caddyfile as shipped, with only the site address and the upstream port swapped. */
(hasCaddy ? describe : describe.skip)('deploy/Caddyfile in front of the bridge', () => {
  let t: TestApp;
  let caddy: ChildProcess;
  let edge: string;

  beforeAll(async () => {
    t = await TestApp.create();
    const port = await freePort();
    edge = `http://127.0.0.1:${port}`;
    const shipped = readFileSync(join(__dirname, '..', 'deploy', 'Caddyfile'), 'utf8');
    expect(shipped).toContain('yourdomain.com {');
    expect(shipped).toContain('reverse_proxy 127.0.0.1:3032');
    const config = join(t.dir, 'Caddyfile');
    writeFileSync(
      config,
      '{\n\tadmin off\n\tauto_https off\n}\n' +
        shipped
          .replace('yourdomain.com {', `${edge} {`)
          .replace('reverse_proxy 127.0.0.1:3032', `reverse_proxy ${new URL(t.url).host}`),
    );
    caddy = spawn('caddy', ['run', '--config', config, '--adapter', 'caddyfile'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 200; i++) {
      const up = await fetch(edge).then(
        () => true,
        () => false,
      );
      if (up) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('caddy did not start');
  });
  afterAll(async () => {
    caddy?.kill();
    await t.close();
  });

  it('passes a signed inbound webhook on /api/sms to the bridge', async () => {
    const result = await t.simulator.sendInbound({
      from: '+15557654321',
      body: 'through caddy',
      url: `${edge}/api/sms`,
    });
    expect(result.status).toBe(200);
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages.map((m: { body: string }) => m.body)).toEqual(['through caddy']);
  });

  it.each([
    ['POST', '/sms/send'],
    ['GET', '/sms/inbox'],
    ['GET', '/metrics'],
    ['GET', '/health/ready'],
    ['POST', '/sms/backup'],
    ['GET', '/api/sms'],
  ])('answers 404 for %s %s without reaching the bridge', async (method, path) => {
    const before = t.simulator.requestCount;
    const res = await fetch(edge + path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: method === 'POST' ? JSON.stringify({ to: '+15551234567', body: 'x' }) : undefined,
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBeNull();
    expect(t.simulator.requestCount).toBe(before);
  });
});
