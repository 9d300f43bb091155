import { AuditService } from '../src/safety/audit/audit.service';
import { metricValue } from './helpers/metric-value';
import {
  gatewayForEachTest,
  OpenClawGateway,
  openClawEnv,
  settle,
} from './helpers/openclaw-gateway';
import { TestApp } from './helpers/test-app';
import { until } from './helpers/until';
import { cli } from './helpers/run-cli';
import { EXIT } from '../src/cli/cli';

const FRIEND = '+15551230001';
const STRANGER = '+15557770001';

// Nest's static logger follows the first app a test file boots: the test that reads the log
// comes first.

describe('A hook that refuses the settings halts pushing', () => {
  let gateway: OpenClawGateway;
  let t: TestApp;
  gatewayForEachTest(
    (fresh) => (gateway = fresh),
    () => t,
  );

  it('a wrong token halts pushing: reported once, in /health/ready and /metrics, not retried in a loop, nothing lost', async () => {
    t = await TestApp.create({
      env: openClawEnv(gateway, { SMS_FORWARD_SECRET: 'not-the-hooks-token-of-openclaw' }),
    });
    const first = await t.simulator.sendInbound({ from: FRIEND, body: 'one' });
    await until(() => gateway.requests.length === 1, 'the refused push');
    const second = await t.simulator.sendInbound({ from: STRANGER, body: 'two' });
    await settle();
    await settle();

    expect(gateway.requests.map((r) => r.status)).toEqual([401]);
    expect(gateway.runs).toEqual([]);
    const ready = await t.http().get('/health/ready').expect(503);
    expect(ready.body.status).toBe('not_ready');
    expect(ready.body.checks.forward).toEqual({
      ok: false,
      failingSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      problem: expect.stringContaining(
        "the hook answered HTTP 401 (Unauthorized): set SMS_FORWARD_SECRET to the Gateway's hooks.token",
      ),
    });
    expect(JSON.stringify(ready.body)).not.toContain('not-the-hooks-token');
    const metrics = (await t.http().get('/metrics').expect(200)).text;
    expect(metricValue(metrics, 'sms_bridge_forward_pushes_total{outcome="refused"}')).toBe(1);
    expect(metricValue(metrics, 'sms_bridge_forward_halted')).toBe(1);
    // The log is written asynchronously.
    await until(() => t.logs().includes('Pushes halted'), 'the log line');
    expect(t.logs().match(/Pushes halted: the hook answered HTTP 401/g)).toHaveLength(1);
    expect(t.logs()).not.toContain('not-the-hooks-token');
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages.map((m: { sid: string }) => m.sid)).toEqual([
      first.messageSid,
      second.messageSid,
    ]);

    // A restart with the same settings stays halted: the Gateway would only refuse again.
    await t.restart();
    await settle();
    expect(gateway.requests).toHaveLength(1);

    // The operator fixes the token: a boot with the new settings pushes both, once each.
    t.env.SMS_FORWARD_SECRET = gateway.policy.token;
    await t.restart();
    await until(() => gateway.runs.length === 2, 'both runs');
    await settle();
    expect(gateway.runs.map((r) => r.headers['idempotency-key'])).toEqual([
      first.messageSid,
      second.messageSid,
    ]);
    await t.http().get('/health/ready').expect(200);
  });

  it("sms-bridge forward retry lifts a halt (the operator's, not the agent's)", async () => {
    gateway.policy.agents = ['ops'];
    t = await TestApp.create({ env: openClawEnv(gateway) });
    await t.simulator.sendInbound({ from: FRIEND, body: 'one' });
    await until(() => gateway.requests.length === 1, 'the refused push');
    await settle();
    const ready = await t.http().get('/health/ready').expect(503);
    expect(ready.body.checks.forward.problem).toContain(
      'the hook answered HTTP 400 (unknown agentId "main"): check SMS_OPENCLAW_AGENT_ID',
    );

    // The agent cannot make the bridge hammer the Gateway.
    const refused = await t.http().post('/sms/forward/retry').expect(403);
    expect(refused.body.error.code).toBe('operator_only');
    await settle();
    expect(gateway.requests).toHaveLength(1);

    gateway.policy.agents = ['main'];
    const lifted = await cli(t, 'forward', 'retry', '--json');
    expect(lifted.code).toBe(EXIT.ok);
    expect(JSON.parse(lifted.stdout)).toEqual({
      status: 'retrying',
      lifted: {
        since: ready.body.checks.forward.failingSince,
        reason: expect.stringContaining('HTTP 400'),
      },
    });
    await until(() => gateway.runs.length === 1, 'the run');
    await t.http().get('/health/ready').expect(200);
    expect(
      (await t.app.get(AuditService).since('1970-01-01T00:00:00.000Z'))
        .filter((e) => e.action === 'forward_retry' && e.phase === 'outcome')
        .map((e) => [e.outcome, e.reason]),
    ).toEqual([
      ['refused', 'operator_only'],
      ['accepted', undefined],
    ]);
  });

  it('sms-bridge forward retry says so on a bridge that pushes nothing', async () => {
    t = await TestApp.create();
    const result = await cli(t, 'forward', 'retry');
    expect(result.code).toBe(EXIT.refused);
    expect(result.stderr).toContain('(forward_not_configured)');
  });
});
