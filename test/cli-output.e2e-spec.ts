import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, COMMANDS } from '../src/cli/cli';
import { VERSION } from '../src/common/version';
import { freePort } from './helpers/free-port';
import { cli } from './helpers/run-cli';
import { TestApp } from './helpers/test-app';
import { itOnSqlite } from './helpers/test-database';

const HOSTILE = 'pay \x1b]0;owned\x07now \x1b[2J\u202eexe.txt';
const HOSTILE_SHOWN = 'pay \\x1b]0;owned\\x07now \\x1b[2J\\u202eexe.txt';
const LONG = `${'A very long message that goes on and on. '.repeat(8)}The end.`;
/** A reason cannot carry control characters: the bridge refuses them at the door. */
const REASON = 'The user asked me to book the plumber.';

const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('sms-bridge CLI output', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create({ env: { SMS_REQUIRE_APPROVAL: 'true' } });
    await t.approve('+15551230000', '+15005550001', '+15005550002');
    await t.simulator.sendInbound({ from: '+15557654321', body: HOSTILE });
    await t.simulator.sendInbound({ from: '+15557654321', body: LONG });
    await t.http().post('/sms/send').send({ to: '+15551230000', body: LONG }).expect(201);
    await t.http().post('/sms/send').send({ to: '+15005550002', body: 'unreachable' });
    await t
      .http()
      .post('/sms/approvals')
      .send({ to: '+15550001111', reason: REASON, body: LONG })
      .expect(201);
  });
  afterAll(() => t.close());

  it('shows untrusted text in tables with control and bidi characters escaped', async () => {
    const inbox = await cli(t, 'inbox');
    expect(inbox.stdout).toContain(HOSTILE_SHOWN);
    expect(inbox.stdout).not.toMatch(RAW_CONTROL);
  });

  it('keeps --json exact', async () => {
    const inbox = JSON.parse((await cli(t, 'inbox', '--json')).stdout);
    expect(inbox.messages.map((message: { body: string }) => message.body)).toContain(HOSTILE);
    const approvals = JSON.parse((await cli(t, 'approvals', '--json')).stdout);
    expect(approvals.approvals[0].body).toBe(LONG);
  });

  it('shows one approval whole with approvals show ID: the body the phone only began', async () => {
    const listed = JSON.parse((await cli(t, 'approvals', '--json')).stdout);
    const id = listed.approvals[0].id as string;
    const shown = await cli(t, 'approvals', 'show', id);
    expect(shown.code).toBe(EXIT.ok);
    expect(shown.stdout).toMatch(new RegExp(`^approval\\.id +${id}$`, 'm'));
    expect(shown.stdout.split('\n')).toContainEqual(expect.stringMatching(/^approval\.body +/));
    expect(shown.stdout).toContain(` ${LONG}\n`);
    expect(shown.stdout).toContain(` ${REASON}\n`);
    const json = JSON.parse((await cli(t, 'approvals', 'show', id, '--json')).stdout);
    expect(json.approval).toMatchObject({ id, body: LONG, reason: REASON });

    const unknown = await cli(t, 'approvals', 'show', '3f1c9a2e-8b4d-4f6a-9c1e-2d7b5a0e4f18');
    expect(unknown.code).toBe(EXIT.refused);
    expect(unknown.stderr).toContain('approval_not_found');
    const bare = await cli(t, 'approvals', 'show');
    expect(bare.code).toBe(EXIT.usage);
    expect((await cli(t, 'approvals', 'shwo')).code).toBe(EXIT.usage);
  });

  it.each([['inbox'], ['outbox'], ['approvals'], ['contacts'], ['audit'], ['--help']])(
    'fits "%s" in 80 columns',
    async (command) => {
      const { code, stdout } = await cli(t, command);
      expect(code).toBe(EXIT.ok);
      expect(widest(stdout)).toBeLessThanOrEqual(80);
    },
  );

  it('fits the help of every command in 80 columns', async () => {
    const commands = [...(await cli(t, '--help')).stdout.matchAll(/^ {2}[ *] ([a-z-]+) /gm)].map(
      (match) => match[1],
    );
    expect(commands.sort()).toEqual(Object.keys(COMMANDS).sort());
    for (const command of commands) {
      const help = await cli(t, 'help', command);
      expect(help.code).toBe(EXIT.ok);
      expect(help.stdout).toMatch(new RegExp(`^Usage: sms-bridge ${command}`));
      expect(widest(help.stdout)).toBeLessThanOrEqual(80);
    }
  });

  it('shows the Twilio error code of a text that did not arrive', async () => {
    const outbox = await cli(t, 'outbox');
    expect(outbox.stdout.split('\n')[0]).toMatch(/^time \(UTC\)\s+to\s+status\s+error\s+body$/);
    expect(outbox.stdout).toMatch(/\+15005550002\s+failed\s+21612\s+unreachable/);
    expect(outbox.stdout).not.toContain('mediaUrl');
  });

  it('lists pending approvals by default, others with --status', async () => {
    const decided = await t
      .http()
      .post('/sms/approvals')
      .send({ to: '+15550002222', reason: 'decided already' })
      .expect(201);
    const id = (decided.body as { approval: { id: string } }).approval.id;
    await t.http().post(`/sms/approvals/${id}/deny`).set(t.asOperator).expect(200);

    const pending = await cli(t, 'approvals');
    expect(pending.stdout).toContain('+15550001111');
    expect(pending.stdout).not.toContain(id);
    const denied = await cli(t, 'approvals', '--status', 'denied');
    expect(denied.stdout).toMatch(new RegExp(`${id}\\s+\\+15550002222\\s+denied`));
    expect(denied.stdout).not.toContain('+15550001111');
    const all = await cli(t, 'approvals', '--status', 'all');
    expect(all.stdout).toContain(id);
    expect(all.stdout).toContain('+15550001111');
  });

  it('says how to see the next page when there is more', async () => {
    const first = await cli(t, 'inbox', '--since', '2000-01-01T00:00:00Z', '--limit', '1');
    const page = JSON.parse(
      (await cli(t, 'inbox', '--since', '2000-01-01T00:00:00Z', '--limit', '1', '--json')).stdout,
    ) as { nextCursor: string; hasMore: boolean };
    expect(page.hasMore).toBe(true);
    expect(first.stderr).toBe(
      `More to see: sms-bridge inbox --limit 1 --since ${page.nextCursor}\n`,
    );
    const last = await cli(t, 'inbox', '--since', page.nextCursor);
    expect(last.stderr).toBe('');
  });

  it('answers in JSON, with the bridge’s code, when --json is given and something fails', async () => {
    const refused = await cli(t, 'send', '+15005550001', 'hi', '--json');
    expect(refused).toMatchObject({ code: EXIT.refused, stderr: '' });
    expect(JSON.parse(refused.stdout)).toEqual({
      error: expect.objectContaining({ code: 'invalid_recipient', message: expect.any(String) }),
    });

    const usage = await cli(t, 'send', '--json');
    expect(usage.code).toBe(EXIT.usage);
    expect(JSON.parse(usage.stdout).error.code).toBe('invalid_usage');
    const badOption = await cli(t, 'inbox', '--bogus', '--json');
    expect(JSON.parse(badOption.stdout).error.code).toBe('invalid_usage');

    const down = await cli(await freePort(), 'inbox', '--json');
    expect(down.code).toBe(EXIT.down);
    expect(JSON.parse(down.stdout).error.code).toBe('bridge_unreachable');
  });

  it('prints its version from package.json', async () => {
    const packaged = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    expect(VERSION).toBe(packaged.version);
    expect(await cli(t, '--version')).toEqual({
      code: EXIT.ok,
      stdout: `sms-bridge ${packaged.version}\n`,
      stderr: '',
    });
  });

  it('explains one command with help COMMAND or COMMAND --help, and refuses options it does not take', async () => {
    const help = await cli(t, 'help', 'outbox');
    expect(help.stdout).toMatch(
      /^Usage: sms-bridge outbox \[--since T\] \[--limit N\] \[--status S\] \[--to NUMBER\]\n/,
    );
    expect(await cli(t, 'outbox', '--help')).toEqual(help);
    expect((await cli(t, 'help', 'frobnicate')).code).toBe(EXIT.usage);
    const stray = await cli(t, 'inbox', '--force');
    expect(stray).toMatchObject({ code: EXIT.usage, stdout: '' });
    expect(stray.stderr).toContain('inbox does not take --force');
  });

  itOnSqlite('the online backup copies the SQLite file; PostgreSQL is backed up with pg_dump')(
    'writes a backup beside a planted FILE.partial symlink without following it',
    async () => {
      const victim = join(t.dir, 'victim.txt');
      writeFileSync(victim, 'precious');
      const file = join(t.dir, 'planted.db');
      symlinkSync(victim, `${file}.partial`);

      const backup = await cli(t, 'backup', file);
      expect(backup).toMatchObject({ code: EXIT.ok, stderr: '' });
      expect(readFileSync(victim, 'utf8')).toBe('precious');
      expect(readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');
      expect(readdirSync(t.dir).filter((name) => name.includes('.partial'))).toEqual([
        'planted.db.partial',
      ]);
      expect(existsSync(`${file}.partial`)).toBe(true);
    },
  );
});
