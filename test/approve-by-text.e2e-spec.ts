import { APPROVAL_CODE_DIGITS } from '../src/safety/approvals/approvals.service';
import { AuditService } from '../src/safety/audit/audit.service';
import { countRows } from './helpers/db-file';
import { TestApp } from './helpers/test-app';
import { until } from './helpers/until';
import { withTestApp } from './helpers/with-test-app';

const OPERATOR = '+15551239000';
const SECOND_OPERATOR = '+15551239001';
const STRANGER = '+15551239999';

/** Waits for a condition the bridge reaches asynchronously (a text to the operator). */
async function eventually<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The texts the simulator "sent" to a number, oldest first. */
const textsTo = (t: TestApp, to: string) => t.simulator.messages.filter((m) => m.to === to);

/** The code in the newest notification to `operator`, once it arrives after `seen` texts. */
async function nextCode(t: TestApp, seen: number, operator = OPERATOR): Promise<string> {
  const text = await eventually(() => textsTo(t, operator)[seen], 'the operator notification');
  const match = new RegExp(
    `Reply YES (\\d{${APPROVAL_CODE_DIGITS}}) to (send|allow it), NO \\1 to refuse\\.`,
  ).exec(text.body);
  if (!match) throw new Error(`no code in ${JSON.stringify(text.body)}`);
  return match[1];
}

describe('approving a held send by text', () => {
  let t: TestApp;
  let recipients = 0;

  beforeAll(async () => {
    t = await TestApp.create({
      env: {
        SMS_REQUIRE_APPROVAL: 'true',
        SMS_OPERATOR_NUMBERS: `${OPERATOR},${SECOND_OPERATOR}`,
      },
    });
  });
  afterAll(() => t.close());

  const newRecipient = () => `+155512340${String(recipients++).padStart(2, '0')}`;
  /** A held send, once both operator phones were told of it. */
  const hold = async (to: string, body = 'Your table for 4 is confirmed for Friday 7pm.') => {
    const seen = textsTo(t, OPERATOR).length;
    const seenBySecond = textsTo(t, SECOND_OPERATOR).length;
    const res = await t.http().post('/sms/send').send({ to, body }).expect(202);
    const code = await nextCode(t, seen);
    await nextCode(t, seenBySecond, SECOND_OPERATOR);
    return { approvalId: res.body.approvalId as string, code };
  };
  const reply = (body: string, from = OPERATOR) => t.simulator.sendInbound({ from, body });
  const approval = async (id: string) => {
    const res = await t.http().get('/sms/approvals').expect(200);
    return res.body.approvals.find((a: { id: string }) => a.id === id);
  };

  it('texts each operator phone who, what, and a code; YES sends the held message once and confirms', async () => {
    const to = newRecipient();
    const start = new Date().toISOString();
    const { approvalId, code } = await hold(to);
    const notification = textsTo(t, OPERATOR).at(-1)!;
    expect(notification.body).toBe(
      `sms-bridge: the agent wants to text ${to}: "Your table for 4 is confirmed for Friday 7pm."\nReply YES ${code} to send, NO ${code} to refuse.`,
    );
    await eventually(() => textsTo(t, SECOND_OPERATOR).at(-1), 'the second phone');
    expect(textsTo(t, SECOND_OPERATOR).at(-1)!.body).toContain(`YES ${code}`);
    expect(textsTo(t, to)).toHaveLength(0);

    expect((await reply(`  yes, ${code}! `)).status).toBe(200);
    expect(textsTo(t, to).map((m) => m.body)).toEqual([
      'Your table for 4 is confirmed for Friday 7pm.',
    ]);
    expect(textsTo(t, OPERATOR).at(-1)!.body).toBe(`Sent to ${to}.`);
    expect(await approval(approvalId)).toMatchObject({
      status: 'approved',
      decidedBy: 'operator#1',
    });

    // The same code again, from either phone, or Twilio retrying the text: nothing more.
    const sent = t.simulator.messages.length;
    await reply(`YES ${code}`);
    await reply(`YES ${code}`, SECOND_OPERATOR);
    expect(textsTo(t, to)).toHaveLength(1);
    expect(t.simulator.messages).toHaveLength(sent);

    // The same records as the token's route, the phone named as the caller, not by its number.
    const records = (await t.app.get(AuditService).since(start)).filter(
      (r) => r.action === 'approve',
    );
    expect(records).toEqual([
      expect.objectContaining({
        phase: 'attempt',
        caller: 'operator#1',
        detail: { params: { id: approvalId } },
      }),
      expect.objectContaining({
        phase: 'outcome',
        outcome: 'accepted',
        caller: 'operator#1',
        recipient: to,
        sid: textsTo(t, to)[0].sid,
        detail: { approvalId },
      }),
    ]);
  });

  it('NO refuses the held message and the number, and confirms', async () => {
    const to = newRecipient();
    const { approvalId, code } = await hold(to);
    await reply(`No ${code}`);
    expect(await approval(approvalId)).toMatchObject({
      status: 'denied',
      decidedBy: 'operator#1',
    });
    expect(textsTo(t, OPERATOR).at(-1)!.body).toBe(`Refused ${to}.`);
    expect(textsTo(t, to)).toHaveLength(0);
    await t.http().post('/sms/send').send({ to, body: 'again' }).expect(403);
  });

  it('NO refuses a held send for later: it will not go', async () => {
    const to = newRecipient();
    const seen = textsTo(t, OPERATOR).length;
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await t
      .http()
      .post('/sms/send')
      .send({ to, body: 'Reminder: dentist at 3', sendAt })
      .expect(202);
    expect(res.body).toMatchObject({ status: 'awaiting_approval', id: expect.any(String) });
    await reply(`NO ${await nextCode(t, seen)}`);
    const listed = await t.http().get('/sms/scheduled').expect(200);
    expect(listed.body.scheduled.find((s: { id: string }) => s.id === res.body.id)).toMatchObject({
      status: 'refused',
      errorCode: 'contact_denied',
    });
  });

  it("includes the agent's reason for an approval it asked for", async () => {
    const to = newRecipient();
    const seen = textsTo(t, OPERATOR).length;
    await t
      .http()
      .post('/sms/approvals')
      .send({ to, reason: 'The plumber the user asked me to book', body: 'Can you come Tuesday?' })
      .expect(201);
    const code = await nextCode(t, seen);
    expect(textsTo(t, OPERATOR).at(-1)!.body).toBe(
      `sms-bridge: the agent wants to text ${to}: "Can you come Tuesday?"\nReason: The plumber the user asked me to book\nReply YES ${code} to send, NO ${code} to refuse.`,
    );
  });

  it('shows a body of up to 3 segments whole, a link at its very end included', async () => {
    const to = newRecipient();
    const body = `${'Running late, home by 8. '.repeat(16)}PS: verify now at https://evil.example/login`;
    const { code } = await hold(to, body);
    expect(textsTo(t, OPERATOR).at(-1)!.body).toBe(
      `sms-bridge: the agent wants to text ${to}: "${body}"\nReply YES ${code} to send, NO ${code} to refuse.`,
    );
  });

  it('shows the start of a longer body, its length, and where to read the rest', async () => {
    const to = newRecipient();
    const body = `${'x'.repeat(600)} https://evil.example/login`;
    const { approvalId, code } = await hold(to, body);
    expect(textsTo(t, OPERATOR).at(-1)!.body).toBe(
      `sms-bridge: the agent wants to text ${to}: (627 characters) "${'x'.repeat(100)}"… 527 more characters: see \`sms-bridge approvals show ${approvalId}\`\nReply YES ${code} to send, NO ${code} to refuse.`,
    );
    // What the CLI's show reads: the whole body.
    const shown = await t.http().get(`/sms/approvals/${approvalId}`).expect(200);
    expect(shown.body.approval).toMatchObject({ id: approvalId, body, status: 'pending' });
  });

  it('shows every media URL of a held MMS', async () => {
    const to = newRecipient();
    const seen = textsTo(t, OPERATOR).length;
    const mediaUrl = ['https://example.com/a.jpg', 'https://evil.example/login?x=1'];
    await t.http().post('/sms/send').send({ to, body: 'Look', mediaUrl }).expect(202);
    const code = await nextCode(t, seen);
    expect(textsTo(t, OPERATOR).at(-1)!.body).toBe(
      `sms-bridge: the agent wants to text ${to}: "Look"\nPicture: ${mediaUrl[0]}\nPicture: ${mediaUrl[1]}\nReply YES ${code} to send, NO ${code} to refuse.`,
    );
  });

  it('shows the whole reason, and offers no code when the approval cannot fit one text', async () => {
    const to = newRecipient();
    const seen = textsTo(t, OPERATOR).length;
    const reason = `${'Because. '.repeat(50)}`.trim();
    await t.http().post('/sms/approvals').send({ to, reason }).expect(201);
    const code = await nextCode(t, seen);
    expect(textsTo(t, OPERATOR).at(-1)!.body).toBe(
      `sms-bridge: the agent asks to text ${to}.\nReason: ${reason}\nReply YES ${code} to allow it, NO ${code} to refuse.`,
    );

    // Ten long URLs and a long reason: more than one text carries. The operator is told, no code.
    const big = newRecipient();
    const mediaUrl = Array.from(
      { length: 10 },
      (_, i) => `https://example.com/${i}/${'p'.repeat(300)}.jpg`,
    );
    const before = textsTo(t, OPERATOR).length;
    const held = await t
      .http()
      .post('/sms/send')
      .send({ to: big, body: 'Look', mediaUrl })
      .expect(202);
    const text = await eventually(() => textsTo(t, OPERATOR)[before], 'the notification');
    expect(text.body).toContain(`sms-bridge approvals show ${held.body.approvalId}`);
    expect(text.body).not.toMatch(/Reply YES/);
    expect(
      await countRows(
        t.env.SMS_DATABASE_PATH,
        'approval_codes',
        'approval_id = ?',
        held.body.approvalId,
      ),
    ).toBe(0);
  });

  it('changes nothing for a code from another number, a wrong code or an unsigned post', async () => {
    const to = newRecipient();
    const { approvalId, code } = await hold(to);
    const sent = t.simulator.messages.length;

    await reply(`YES ${code}`, STRANGER);
    await reply(`YES ${code === '000000' ? '000001' : '000000'}`);
    const unsigned = await t
      .http()
      .post('/sms/webhook')
      .type('form')
      .send({
        MessageSid: `SM${'a'.repeat(32)}`,
        AccountSid: t.accountSid,
        From: OPERATOR,
        To: '+15005550006',
        Body: `YES ${code}`,
      });
    expect(unsigned.status).toBe(403);

    expect(await approval(approvalId)).toMatchObject({ status: 'pending', decidedBy: null });
    expect(t.simulator.messages).toHaveLength(sent);
    // The stranger's text is an ordinary inbound text; the agent reads it, code and all.
    const inbox = await t.http().get('/sms/inbox').expect(200);
    expect(inbox.body.messages.map((m: { from: string }) => m.from)).toContain(STRANGER);
  });

  it('does not decide with the code of an approval already decided by the token', async () => {
    const to = newRecipient();
    const { approvalId, code } = await hold(to);
    await t.http().post(`/sms/approvals/${approvalId}/deny`).set(t.asOperator).expect(200);
    const sent = t.simulator.messages.length;
    await reply(`YES ${code}`);
    expect(await approval(approvalId)).toMatchObject({ status: 'denied' });
    expect(t.simulator.messages).toHaveLength(sent);
  });

  it('keeps every operator text and code away from what the agent reads', async () => {
    const to = newRecipient();
    const { code } = await hold(to);
    await reply(`YES ${code}`);
    const agentViews = await Promise.all(
      [
        '/sms/inbox?includeSuppressed=true',
        '/sms/outbox?limit=500',
        '/sms/audit?limit=1000',
        '/sms/approvals',
        '/sms/contacts',
        '/sms/conversations',
        `/sms/conversations/${encodeURIComponent(OPERATOR)}`,
      ].map((path) => t.http().get(path).expect(200)),
    );
    for (const view of agentViews) expect(view.text).not.toContain(code);
    // The agent never learns an operator phone's number (but where it asked for it by name).
    for (const view of agentViews.slice(0, -1)) {
      expect(view.text).not.toContain(OPERATOR);
      expect(view.text).not.toContain(SECOND_OPERATOR);
    }
    const outbox = agentViews[1].body.messages as { to: string }[];
    expect(outbox.map((m) => m.to)).not.toContain(OPERATOR);
    const inbox = agentViews[0].body.messages as { from: string }[];
    expect(inbox.map((m) => m.from)).not.toContain(OPERATOR);
    const sid = textsTo(t, OPERATOR).at(-1)!.sid;
    await t.http().get(`/sms/messages/${sid}`).expect(404);
    // The operator's own list has them all, masked.
    await t.http().get('/sms/operator-texts').expect(403);
    const own = await t.http().get('/sms/operator-texts?limit=500').set(t.asOperator).expect(200);
    expect(own.text).not.toContain(code);
    expect(own.body.texts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'notification', number: OPERATOR }),
        expect.objectContaining({
          kind: 'reply',
          body: `YES ${'*'.repeat(APPROVAL_CODE_DIGITS)}`,
          status: 'approved',
        }),
        expect.objectContaining({ kind: 'confirmation', body: `Sent to ${to}.` }),
      ]),
    );
  });

  it("does not spend the agent's daily budget", async () => {
    const limits = await t.http().get('/sms/limits').expect(200);
    // Only the held messages approved above went out as the agent's.
    const approved = (await t.http().get('/sms/approvals?status=approved').expect(200)).body
      .approvals.length;
    expect(limits.body.total.used).toBe(approved);
  });
});

describe('refusals of approval by text', () => {
  const env = {
    SMS_REQUIRE_APPROVAL: 'true',
    SMS_OPERATOR_NUMBERS: OPERATOR,
  };

  it('locks a phone after 5 wrong codes in an hour, says so once, until the token is used', () =>
    withTestApp({ env }, async (t) => {
      const seen = textsTo(t, OPERATOR).length;
      const held = await t.http().post('/sms/send').send({ to: '+15551234100', body: 'Hi' });
      const code = await nextCode(t, seen);
      const wrong = code === '000000' ? '000001' : '000000';
      for (let i = 0; i < 5; i++) {
        await t.simulator.sendInbound({ from: OPERATOR, body: `YES ${wrong}` });
      }
      const lockout = textsTo(t, OPERATOR).at(-1)!.body;
      expect(lockout).toMatch(/5 wrong codes in an hour/);
      const sent = t.simulator.messages.length;
      await t.simulator.sendInbound({ from: OPERATOR, body: `YES ${wrong}` });
      await t.simulator.sendInbound({ from: OPERATOR, body: `YES ${code}` });
      expect(t.simulator.messages).toHaveLength(sent);
      const pending = await t.http().get('/sms/approvals?status=pending').expect(200);
      expect(pending.body.approvals.map((a: { id: string }) => a.id)).toEqual([
        held.body.approvalId,
      ]);

      // Any use of the token lifts it.
      await t.http().get('/sms/operator-texts').set(t.asOperator).expect(200);
      await t.simulator.sendInbound({ from: OPERATOR, body: `YES ${code}` });
      expect(textsTo(t, '+15551234100')).toHaveLength(1);
      expect(textsTo(t, OPERATOR).at(-1)!.body).toBe('Sent to +15551234100.');
    }));

  it('stops notifying a phone that texted STOP, and START resumes; the token still decides', () =>
    withTestApp({ env }, async (t) => {
      await t.simulator.sendInbound({ from: OPERATOR, body: 'STOP' });
      const held = await t
        .http()
        .post('/sms/send')
        .send({ to: '+15551234101', body: 'Hi' })
        .expect(202);
      await t.simulator.sendInbound({ from: OPERATOR, body: 'START' });
      await t.http().post('/sms/send').send({ to: '+15551234102', body: 'Hi' }).expect(202);
      await nextCode(t, 0);
      // Notifications go out in the order the approvals were made: the one for the second
      // send arriving first and alone proves the first had its chance, and was not texted.
      expect(textsTo(t, OPERATOR).map((text) => text.body)).toEqual([
        expect.stringContaining('+15551234102'),
      ]);
      await t
        .http()
        .post(`/sms/approvals/${held.body.approvalId}/approve`)
        .set(t.asOperator)
        .expect(200);
      expect(textsTo(t, '+15551234101')).toHaveLength(1);
    }));

  it('sends no confirmation or lockout text to a phone that texted STOP', () =>
    withTestApp({ env }, async (t) => {
      const held = await t
        .http()
        .post('/sms/send')
        .send({ to: '+15551234104', body: 'Hi' })
        .expect(202);
      const code = await nextCode(t, 0);
      await t.simulator.sendInbound({ from: OPERATOR, body: 'STOP' });
      await t.simulator.sendInbound({ from: OPERATOR, body: `YES ${code}` });
      const approved = await t.http().get('/sms/approvals?status=approved').expect(200);
      expect(approved.body.approvals.map((a: { id: string }) => a.id)).toEqual([
        held.body.approvalId,
      ]);
      expect(textsTo(t, '+15551234104')).toHaveLength(1);
      for (let i = 0; i < 5; i++) {
        await t.simulator.sendInbound({ from: OPERATOR, body: 'YES 000000' });
      }
      // Only the notification reached the phone.
      expect(textsTo(t, OPERATOR)).toHaveLength(1);
    }));

  it("follows the delivery of the operator's texts through Twilio's status callbacks", () =>
    withTestApp(
      { env: { ...env, SMS_PUBLIC_BASE_URL: 'https://bridge.example.com' } },
      async (t) => {
        await t.http().post('/sms/send').send({ to: '+15551234105', body: 'Hi' }).expect(202);
        await nextCode(t, 0);
        await t.simulator.flushCallbacks();
        const texts = await t.http().get('/sms/operator-texts').set(t.asOperator).expect(200);
        expect(texts.body.texts).toEqual([
          expect.objectContaining({ kind: 'notification', status: 'delivered' }),
        ]);
        expect(t.logs()).not.toContain('unknown message');
      },
    ));

  it('stops texting a phone at SMS_OPERATOR_NOTIFY_PER_DAY; the approval waits for the CLI', () =>
    withTestApp({ env: { ...env, SMS_OPERATOR_NOTIFY_PER_DAY: '1' } }, async (t) => {
      await t.http().post('/sms/send').send({ to: '+15551234103', body: 'One' }).expect(202);
      await nextCode(t, 0);
      const second = await t
        .http()
        .post('/sms/send')
        .send({ to: '+15551234104', body: 'Two' })
        .expect(202);
      // The over-cap record is the notifier's decision: once it is there, nothing else comes.
      const ownTexts = () => t.http().get('/sms/operator-texts').set(t.asOperator).expect(200);
      await until(
        async () => (await ownTexts()).body.texts.length === 2,
        'the second notification to be decided',
      );
      expect(textsTo(t, OPERATOR)).toHaveLength(1);
      const own = await ownTexts();
      expect(own.body.texts.at(-1)).toMatchObject({
        kind: 'notification',
        status: 'over_cap',
        approvalId: second.body.approvalId,
      });
      const pending = await t.http().get('/sms/approvals?status=pending').expect(200);
      expect(pending.body.approvals).toHaveLength(2);
    }));

  it('takes a code only from a phone its notification reached; from another it is a wrong code', () =>
    withTestApp(
      { env: { ...env, SMS_OPERATOR_NUMBERS: `${OPERATOR},${SECOND_OPERATOR}` } },
      async (t) => {
        // The second phone gets no notification (it texted STOP), so no code is its to use.
        await t.simulator.sendInbound({ from: SECOND_OPERATOR, body: 'STOP' });
        const held = await t
          .http()
          .post('/sms/send')
          .send({ to: '+15551234106', body: 'Hi' })
          .expect(202);
        const code = await nextCode(t, 0);
        await t.simulator.sendInbound({ from: SECOND_OPERATOR, body: `YES ${code}` });
        const pending = await t.http().get('/sms/approvals?status=pending').expect(200);
        expect(pending.body.approvals.map((a: { id: string }) => a.id)).toEqual([
          held.body.approvalId,
        ]);
        expect(textsTo(t, '+15551234106')).toHaveLength(0);
        const own = await t.http().get('/sms/operator-texts').set(t.asOperator).expect(200);
        expect(own.body.texts.at(-1)).toMatchObject({
          kind: 'reply',
          number: SECOND_OPERATOR,
          status: 'wrong_code',
        });

        await t.simulator.sendInbound({ from: OPERATOR, body: `YES ${code}` });
        expect(textsTo(t, '+15551234106')).toHaveLength(1);
        const approved = await t.http().get('/sms/approvals?status=approved').expect(200);
        expect(approved.body.approvals[0]).toMatchObject({ decidedBy: 'operator#1' });
      },
    ));

  it('issues no code for a notification the daily cap kept from the phone', () =>
    withTestApp({ env: { ...env, SMS_OPERATOR_NOTIFY_PER_DAY: '1' } }, async (t) => {
      await t.http().post('/sms/send').send({ to: '+15551234107', body: 'One' }).expect(202);
      await nextCode(t, 0);
      const second = await t
        .http()
        .post('/sms/send')
        .send({ to: '+15551234108', body: 'Two' })
        .expect(202);
      await until(async () => {
        const own = await t.http().get('/sms/operator-texts').set(t.asOperator).expect(200);
        return own.body.texts.at(-1)?.status === 'over_cap';
      }, 'the notification kept by the cap');
      const codes = (id: string) =>
        countRows(t.env.SMS_DATABASE_PATH, 'approval_codes', 'approval_id = ?', id);
      expect(await codes(second.body.approvalId)).toBe(0);
      expect(await countRows(t.env.SMS_DATABASE_PATH, 'approval_codes')).toBe(1);
    }));

  it('refuses a new approval past SMS_MAX_PENDING_APPROVALS with 429, stores nothing, and tells the operator once', () =>
    withTestApp({ env: { ...env, SMS_MAX_PENDING_APPROVALS: '2' } }, async (t) => {
      await t.http().post('/sms/send').send({ to: '+15551234110', body: 'One' }).expect(202);
      await nextCode(t, 0);
      const second = await t
        .http()
        .post('/sms/send')
        .send({ to: '+15551234111', body: 'Two' })
        .expect(202);
      await nextCode(t, 1);
      // The same message again answers the approval already waiting: not a new one.
      await t.http().post('/sms/send').send({ to: '+15551234111', body: 'Two' }).expect(202);

      const over = await t.http().post('/sms/send').send({ to: '+15551234112', body: 'Three' });
      expect(over.status).toBe(429);
      expect(over.body.error).toMatchObject({
        code: 'too_many_pending_approvals',
        maxPending: 2,
        message: expect.stringContaining('SMS_MAX_PENDING_APPROVALS'),
      });
      const asked = await t
        .http()
        .post('/sms/approvals')
        .send({ to: '+15551234113', reason: 'The user asked me to.' });
      expect(asked.status).toBe(429);
      expect(asked.body.error.code).toBe('too_many_pending_approvals');
      const later = await t
        .http()
        .post('/sms/send')
        .send({
          to: '+15551234114',
          body: 'Four',
          sendAt: new Date(Date.now() + 3_600_000).toISOString(),
        });
      expect(later.status).toBe(429);

      expect(await countRows(t.env.SMS_DATABASE_PATH, 'approvals')).toBe(2);
      expect(await countRows(t.env.SMS_DATABASE_PATH, 'scheduled_sends')).toBe(0);
      const full = await eventually(() => textsTo(t, OPERATOR)[2], 'the full notice');
      expect(full.body).toMatch(/^sms-bridge: 2 approvals are waiting/);
      const refusals = (await t.app.get(AuditService).since(new Date(0).toISOString())).filter(
        (r) => r.reason === 'too_many_pending_approvals',
      );
      expect(refusals).toHaveLength(3);

      // Once the operator decides one, there is room again.
      await t
        .http()
        .post(`/sms/approvals/${second.body.approvalId}/deny`)
        .set(t.asOperator)
        .expect(200);
      await t.http().post('/sms/send').send({ to: '+15551234112', body: 'Three' }).expect(202);
      // Its notification comes after any second 'full' notice would have: there is none.
      await eventually(() => textsTo(t, OPERATOR)[3], 'the next notification');
      expect(textsTo(t, OPERATOR).filter((m) => /approvals are waiting/.test(m.body))).toHaveLength(
        1,
      );
      expect(t.simulator.messages.map((m) => m.to)).toEqual([
        OPERATOR,
        OPERATOR,
        OPERATOR,
        OPERATOR,
      ]);
    }));

  it('texts nobody and keeps operator-number texts in the inbox when SMS_OPERATOR_NUMBERS is unset', () =>
    withTestApp({ env: { SMS_REQUIRE_APPROVAL: 'true' } }, async (t) => {
      await t.http().post('/sms/send').send({ to: '+15551234105', body: 'Hi' }).expect(202);
      await t.simulator.sendInbound({ from: OPERATOR, body: 'YES 123456' });
      const inbox = await t.http().get('/sms/inbox').expect(200);
      expect(inbox.body.messages.map((m: { from: string }) => m.from)).toEqual([OPERATOR]);
      // A notification is recorded the moment it is decided, right after the approval is
      // made: by the time a later webhook is answered, it would be here.
      const own = await t.http().get('/sms/operator-texts').set(t.asOperator).expect(200);
      expect(own.body.texts).toEqual([]);
      expect(t.simulator.messages).toHaveLength(0);
    }));
});
