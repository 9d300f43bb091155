import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..');

/** [importer, imported, the rule that must refuse it, or null where the import is allowed] */
const IMPORTS: [string, string, string | null][] = [
  [
    'src/common/reads-a-door.ts',
    'src/outbound/outbound.service.ts',
    'foundation-depends-on-no-feature',
  ],
  // A feature folder no list names yet: the rule is over paths, so it is caught all the same.
  [
    'src/config/reads-a-new-feature.ts',
    'src/brand-new/feature.ts',
    'foundation-depends-on-no-feature',
  ],
  [
    'src/storage/reads-a-rule.ts',
    'src/safety/limits/limits.service.ts',
    'foundation-depends-on-no-feature',
  ],
  ['src/common/message.ts', 'src/config/app-config.ts', null],
  ['src/outbound/sends-itself.ts', 'src/twilio/twilio.client.ts', 'only-the-pipeline-sends'],
  ['src/operator-texts/sends-itself.ts', 'src/twilio/twilio.client.ts', 'only-the-pipeline-sends'],
  ['src/sending/send-pipeline.ts', 'src/twilio/twilio.client.ts', null],
  ['src/safety/limits/reads-a-door.ts', 'src/schedule/schedule.service.ts', 'rules-import-no-door'],
  ['src/safety/reads-the-inbox.ts', 'src/inbox/inbound.service.ts', 'rules-import-no-door'],
  ['src/twilio/reads-a-door.ts', 'src/operator-texts/operator-sender.ts', 'rules-import-no-door'],
  ['src/safety/opt-out/reads-a-rule.ts', 'src/safety/message/message-limits.ts', null],
  [
    'src/conversations/reads-outbound-rows.ts',
    'src/outbound/outbound.repository.ts',
    'repository-stays-in-its-module',
  ],
  // The cycle of modules a boot-time hand-over once hid: operator texts approving by calling up.
  ['src/operator-texts/approves-itself.ts', 'src/outbound/outbound.service.ts', 'doors-point-down'],
  ['src/inbox/hands-to-a-reply.ts', 'src/webhooks/operator-replies.service.ts', 'doors-point-down'],
  ['src/outbound/reads-a-webhook.ts', 'src/webhooks/webhook.controller.ts', 'doors-point-down'],
  ['src/sending/reads-a-door.ts', 'src/schedule/schedule.service.ts', 'doors-point-down'],
  ['src/webhooks/operator-replies.service.ts', 'src/outbound/outbound.service.ts', null],
  ['src/outbound/outbound.service.ts', 'src/operator-texts/operator-notifier.service.ts', null],
  ['src/outbound/outbound.service.ts', 'src/outbound/outbound.repository.ts', null],
  ['src/safety/limits/limits.service.ts', 'src/safety/audit/audit.repository.ts', null],
  ['src/mcp/sends-directly.ts', 'src/outbound/outbound.service.ts', 'clients-only-over-http'],
  ['src/cli/opens-the-database.ts', 'src/storage/database.ts', 'clients-only-over-http'],
  ['src/cli/reads-a-rule.ts', 'src/safety/message/message-limits.ts', 'clients-only-over-http'],
  ['src/cli/cli.ts', 'src/client/bridge-client.ts', null],
  ['src/mcp/mcp.server.ts', 'src/common/e164.ts', null],
];

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

describe('the import rules of npm run lint', () => {
  let dir: string;
  let violations: Violation[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sms-bridge-import-rules-'));
    const write = (file: string, text: string) => {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text, { flag: 'a' });
    };
    for (const [from, to] of IMPORTS) {
      const path = relative(dirname(from), to).replace(/\.ts$/, '');
      write(from, `import '${path.startsWith('.') ? path : `./${path}`}';\n`);
      write(to, '');
    }
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: {} }));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
        '--config',
        join(ROOT, '.dependency-cruiser.cjs'),
        '--output-type',
        'json',
        'src',
      ],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    violations = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary
      .violations;
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const refused = IMPORTS.filter(([, , rule]) => rule !== null);
  it.each(refused)('refuses %s importing %s (%s)', (from, to, rule) => {
    expect(violations).toContainEqual(
      expect.objectContaining({ rule: { name: rule, severity: 'error' }, from, to }),
    );
  });

  it('refuses nothing else: the allowed imports pass', () => {
    const found = violations.map(({ from, to, rule }) => `${from} -> ${to}: ${rule.name}`).sort();
    const expected = refused.map(([from, to, rule]) => `${from} -> ${to}: ${rule}`).sort();
    expect(found).toEqual(expected);
  });
});
