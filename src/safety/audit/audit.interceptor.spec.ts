import { CallHandler, Controller, HttpException, Logger, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Request } from 'express';
import { defer, from, lastValueFrom, Observable, of, switchMap, throwError } from 'rxjs';
import { AuditRow, createTempAudit, TempAudit } from '../../../test/helpers/temp-audit';
import { ApiError } from '../../common/api-error';
import { MetricsService } from '../../metrics/metrics.service';
import { AuditInterceptor } from './audit.interceptor';
import { Audited } from './audited.decorator';

@Controller()
class SendController {
  @Post('send')
  @Audited('send')
  send(): void {}
}

const REQUEST_BODY = { to: '+15551234567', body: 'hello there' };

describe(AuditInterceptor.name, () => {
  let temp: TempAudit;
  let interceptor: AuditInterceptor;

  // The interceptor logs the failures these tests cause on purpose.
  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    temp = await createTempAudit();
    interceptor = new AuditInterceptor(new Reflector(), temp.audit, new MetricsService());
  });
  afterEach(() => temp.close());

  function context(body: unknown = REQUEST_BODY) {
    const request = { socket: { remoteAddress: '127.0.0.1' }, headers: {}, body } as Request;
    return new ExecutionContextHost(
      [request, {}, () => undefined],
      SendController,
      SendController.prototype.send,
    );
  }

  /** A handler that notes what the audit log held when it ran. */
  function handler(result: () => Observable<unknown>) {
    const seen: { rowsWhenRun?: AuditRow[]; calls: number } = { calls: 0 };
    const next: CallHandler = {
      handle: () => {
        seen.calls += 1;
        return from(temp.rows()).pipe(
          switchMap((rows) => {
            seen.rowsWhenRun = rows;
            return defer(result);
          }),
        );
      },
    };
    return { next, seen };
  }

  async function run(result: () => Observable<unknown>, body?: unknown) {
    const { next, seen } = handler(result);
    const outcome = await lastValueFrom(interceptor.intercept(context(body), next)).then(
      (value) => ({ value, error: undefined }),
      (error: unknown) => ({ value: undefined, error }),
    );
    return { ...outcome, seen };
  }

  it('writes the attempt before the handler runs, then the accepted outcome', async () => {
    const sid = 'SM' + 'a'.repeat(32);
    const { value, seen } = await run(() => of({ sid, status: 'queued' }));

    expect(value).toEqual({ sid, status: 'queued' });
    expect(seen.rowsWhenRun).toEqual([
      expect.objectContaining({
        phase: 'attempt',
        action: 'send',
        caller: '127.0.0.1',
        recipient: REQUEST_BODY.to,
        body: REQUEST_BODY.body,
        outcome: null,
      }),
    ]);
    const rows = await temp.rows();
    const [attempt, outcome] = rows;
    expect(rows).toHaveLength(2);
    expect(outcome).toMatchObject({
      phase: 'outcome',
      action: 'send',
      request_id: attempt.request_id,
      recipient: REQUEST_BODY.to,
      outcome: 'accepted',
      sid,
      reason: null,
    });
    expect(outcome.id).toBeGreaterThan(attempt.id);
    expect(outcome.at >= attempt.at).toBe(true);
    expect(temp.lines()).toEqual([
      expect.objectContaining({ id: attempt.id, phase: 'attempt', requestId: attempt.request_id }),
      expect.objectContaining({ id: outcome.id, phase: 'outcome', outcome: 'accepted', sid }),
    ]);
  });

  it('records a refusal (4xx) with its code and Twilio code, and rethrows it unchanged', async () => {
    const refusal = new ApiError('invalid_recipient', 'Not a valid number.', {
      twilioCode: 21211,
    });
    const { error } = await run(() => throwError(() => refusal));

    expect(error).toBe(refusal);
    const [attempt, outcome] = await temp.rows();
    expect(attempt.phase).toBe('attempt');
    expect(outcome).toMatchObject({
      phase: 'outcome',
      request_id: attempt.request_id,
      outcome: 'refused',
      reason: 'invalid_recipient',
      sid: null,
    });
    expect(JSON.parse(outcome.detail!)).toEqual({ status: 400, twilioCode: 21211 });
    expect(temp.lines().map((line) => line.outcome)).toEqual([undefined, 'refused']);
  });

  it('records a validation refusal from a plain HttpException as refused', async () => {
    const { error } = await run(() => throwError(() => new HttpException('bad', 400)), {});
    expect(error).toBeInstanceOf(HttpException);
    expect(await temp.rows()).toEqual([
      expect.objectContaining({ phase: 'attempt', recipient: null, body: null }),
      expect.objectContaining({ phase: 'outcome', outcome: 'refused', reason: 'bad_request' }),
    ]);
  });

  it.each([
    ['a Twilio failure (5xx ApiError)', new ApiError('twilio_unreachable', 'Down.'), 502],
    ['an unexpected error', new Error('boom'), 500],
  ])('records %s as failed', async (_name, thrown, status) => {
    const { error } = await run(() => throwError(() => thrown));

    expect(error).toBe(thrown);
    const outcome = (await temp.rows())[1];
    expect(outcome).toMatchObject({ phase: 'outcome', outcome: 'failed' });
    expect(JSON.parse(outcome.detail!)).toMatchObject({ status });
  });

  it.each([
    [
      'the database is unusable',
      (t: TempAudit) => t.store.destroy(),
      () => Promise.resolve([] as AuditRow[]), // nothing to read back from a closed database
    ],
    [
      'the audit file cannot be written',
      (t: TempAudit) => Promise.resolve(t.audit.onApplicationShutdown()),
      (t: TempAudit) => t.rows(),
    ],
  ])(
    'does not call the handler and answers 503 audit_unavailable when %s',
    async (_name, breakIt, rowsAfter) => {
      await breakIt(temp);
      const { error: thrown, seen } = await run(() => of({ sid: 'SM' + 'b'.repeat(32) }));

      expect(thrown).toBeInstanceOf(ApiError);
      expect((thrown as ApiError).getStatus()).toBe(503);
      expect((thrown as ApiError).body.error.code).toBe('audit_unavailable');
      expect(seen.calls).toBe(0);
      // A row is kept only together with its line: no half-written record either.
      expect(await rowsAfter(temp)).toEqual([]);
      expect(temp.lines()).toEqual([]);
    },
  );

  it('still answers with the result when only the outcome cannot be written', async () => {
    const sid = 'SM' + 'c'.repeat(32);
    const { value, error } = await run(() => {
      temp.audit.onApplicationShutdown();
      return of({ sid, status: 'queued' });
    });

    expect(error).toBeUndefined();
    expect(value).toEqual({ sid, status: 'queued' });
    expect((await temp.rows()).map((row) => row.phase)).toEqual(['attempt']);
  });
});
