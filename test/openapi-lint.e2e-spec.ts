import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTestApp } from './helpers/with-test-app';

const ROOT = join(__dirname, '..');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
}

describe('the OpenAPI document', () => {
  it("passes redocly's recommended rules, with the exceptions redocly.yaml gives reasons for", () =>
    withTestApp({}, async (t) => {
      const res = await t.http().get('/docs-json').expect(200);
      const file = join(t.dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(res.body));
      // The same command as `npm run lint:openapi`, on the document the app serves.
      const lint = spawnSync(
        join(ROOT, 'node_modules', '.bin', 'redocly'),
        ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );
      const report = JSON.parse(lint.stdout) as LintReport;
      const problems = report.problems.map(
        (problem) => `${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`,
      );
      expect(problems).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
      expect(lint.status).toBe(0);
    }));

  it('says who may call each route: the operator token, a Twilio signature, or no credential', () =>
    withTestApp({}, async (t) => {
      const { body } = await t.http().get('/docs-json').expect(200);
      const security = (method: string, path: string) =>
        (body.paths[path][method] as { security: unknown }).security;
      expect(security('post', '/sms/approvals/{id}/approve')).toEqual([{ operator: [] }]);
      expect(security('post', '/sms/webhook')).toEqual([{ twilioSignature: [] }]);
      expect(security('post', '/sms/send')).toEqual([]);
      expect(security('get', '/health')).toEqual([]);
      expect(body.paths['/sms/send'].post.responses['403'].description).toMatch(/local_only/);
      expect(body.paths['/sms/inbox'].get.responses['400'].description).toMatch(/invalid_since/);
      expect(body.paths['/sms/webhook'].post.responses['403'].description).toMatch(
        /invalid_signature/,
      );
    }));
});
