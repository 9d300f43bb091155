import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './helpers/free-port';
import { TestApp } from './helpers/test-app';

const DEPLOY = join(__dirname, '..', 'deploy');
const hasCaddy = spawnSync('caddy', ['version'], { stdio: 'ignore' }).status === 0;
if (!hasCaddy) {
  console.warn('caddy is not installed (apt-get install caddy): skipping the Caddy e2e tests');
}

/**
 * A real Caddy in front of the bridge, with three sites: deploy/Caddyfile as shipped, the
 * snippet deploy/sms-bridge.caddy pasted into a site that already serves other things, and
 * the seed guide's `handle /api/sms` block. Only the site addresses and the upstream change.
 */
(hasCaddy ? describe : describe.skip)('Caddy in front of the bridge', () => {
  let t: TestApp;
  let caddy: ChildProcess;
  const edge = { shipped: '', pasted: '', seed: '' };

  beforeAll(async () => {
    t = await TestApp.create();
    // Twilio calls the public URL; here that is Caddy, not the bridge behind it.
    t.simulator.knobs.callbackOrigin = undefined;
    for (const site of Object.keys(edge) as (keyof typeof edge)[]) {
      edge[site] = `http://127.0.0.1:${await freePort()}`;
    }
    const upstream = (text: string) =>
      text.replace('reverse_proxy 127.0.0.1:3032', `reverse_proxy ${new URL(t.url).host}`);
    const snippet = readFileSync(join(DEPLOY, 'sms-bridge.caddy'), 'utf8');
    const shipped = readFileSync(join(DEPLOY, 'Caddyfile'), 'utf8');
    expect(shipped).toContain('yourdomain.com {');
    expect(snippet).toContain('reverse_proxy 127.0.0.1:3032');
    writeFileSync(join(t.dir, 'sms-bridge.caddy'), upstream(snippet));
    const config = [
      '{\n\tadmin off\n\tauto_https off\n}',
      shipped.replace('yourdomain.com {', `${edge.shipped} {`),
      // Someone's site with its own API and pages, the snippet pasted in the middle.
      `${edge.pasted} {\n\thandle /api/* {\n\t\trespond "other api" 200\n\t}\n` +
        `${upstream(snippet)}\n\thandle {\n\t\trespond "existing site" 200\n\t}\n}`,
      `${edge.seed} {\n\thandle /api/sms {\n\t\treverse_proxy ${new URL(t.url).host}\n\t}\n}`,
    ].join('\n');
    writeFileSync(join(t.dir, 'Caddyfile'), config);
    caddy = spawn(
      'caddy',
      ['run', '--config', join(t.dir, 'Caddyfile'), '--adapter', 'caddyfile'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 200; i++) {
      const up = await Promise.all(
        Object.values(edge).map((url) =>
          fetch(url).then(
            () => true,
            () => false,
          ),
        ),
      );
      if (up.every(Boolean)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('caddy did not start');
  });
  afterAll(async () => {
    caddy?.kill();
    await t.close();
  });

  /** A send through the bridge, and Twilio's "delivered" callback for it posted to `url`. */
  async function deliveredThrough(url: string) {
    const sent = await t.http().post('/sms/send').send({ to: '+15551234567', body: 'hi' });
    expect(sent.status).toBe(201);
    const callback = await t.simulator.sendStatusCallback({
      messageSid: sent.body.sid,
      status: 'delivered',
      url: `${url}/api/sms/status`,
    });
    const message = await t.http().get(`/sms/messages/${sent.body.sid}`).expect(200);
    return { callback, status: message.body.status as string };
  }

  describe.each([
    ['deploy/Caddyfile, a site of its own', 'shipped'],
    ['deploy/sms-bridge.caddy pasted into an existing site', 'pasted'],
  ] as const)('%s', (_name, site) => {
    it('passes a signed inbound webhook on /api/sms to the bridge', async () => {
      const body = `through caddy (${site})`;
      const result = await t.simulator.sendInbound({
        from: '+15557654321',
        body,
        url: `${edge[site]}/api/sms`,
      });
      expect(result.status).toBe(200);
      const inbox = await t.http().get('/sms/inbox').expect(200);
      expect(inbox.body.messages.map((m: { body: string }) => m.body)).toContain(body);
    });

    it('passes delivery status callbacks on /api/sms/status to the bridge', async () => {
      const { callback, status } = await deliveredThrough(edge[site]);
      expect(callback.status).toBe(204);
      expect(status).toBe('delivered');
    });

    it.each([
      ['POST', '/sms/send'],
      ['GET', '/sms/inbox'],
      ['GET', '/metrics'],
      ['GET', '/health/ready'],
      ['POST', '/sms/backup'],
      ['GET', '/api/sms'],
      ['POST', '/api/sms/other'],
      ['POST', '/api/smsx'],
    ])('answers %s %s without reaching the bridge', async (method, path) => {
      const before = t.simulator.requestCount;
      const res = await fetch(edge[site] + path, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: method === 'POST' ? JSON.stringify({ to: '+15551234567', body: 'x' }) : undefined,
      });
      expect(res.headers.get('x-request-id')).toBeNull();
      if (site === 'shipped' || path.startsWith('/api/sms')) expect(res.status).toBe(404);
      else expect(await res.text()).toMatch(/^(other api|existing site)$/);
      expect(t.simulator.requestCount).toBe(before);
    });
  });

  it('leaves the rest of an existing site as it was', async () => {
    expect(await (await fetch(`${edge.pasted}/`)).text()).toBe('existing site');
    expect(await (await fetch(`${edge.pasted}/about`)).text()).toBe('existing site');
    expect(await (await fetch(`${edge.pasted}/api/other`)).text()).toBe('other api');
  });

  it("loses status callbacks behind the seed's `handle /api/sms`: Caddy answers them itself", async () => {
    const { callback, status } = await deliveredThrough(edge.seed);
    // An empty 200 that Twilio takes as received; the bridge never saw it.
    expect(callback).toMatchObject({ status: 200, body: '' });
    expect(status).toBe('queued');
  });
});
