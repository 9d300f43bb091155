import { randomUUID } from 'node:crypto';
import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { catchError, Observable, tap, throwError } from 'rxjs';
import { toErrorBody } from '../../common/api-exception.filter';
import { peerAddress } from '../../common/request-origin';
import { MetricsService } from '../../metrics/metrics.service';
import type { AuditEntry } from './audit-entry';
import { AuditService } from './audit.service';

export const AUDITED_ACTION = 'smsBridge:auditedAction';
export const AUDIT_ATTEMPT_JOINS = 'smsBridge:auditAttemptJoinsFirstCommit';

function stringField(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The number a request acts on: `to` of a send, `number` of a pre-approval. */
export function recipientOf(body: unknown): string | undefined {
  return stringField(body, 'to') ?? stringField(body, 'number');
}

interface ResultShape {
  sid?: string;
  status?: string;
  /** Approval decisions answer with the approval and the message the decision sent. */
  approval?: { id?: string; to?: string };
  message?: { sid?: string } | null;
}

/** What the outcome record says of a result: a send's sid, a decision's approval and number. */
export function describeResult(result: unknown) {
  const { sid, status, approval, message } = (result ?? {}) as ResultShape;
  return {
    outcome: status === 'awaiting_approval' ? ('held' as const) : ('accepted' as const),
    sid: sid ?? message?.sid,
    recipient: approval?.to,
    detail: approval?.id ? { approvalId: approval.id } : undefined,
  };
}

/**
 * Writes the attempt before the handler runs and the outcome after, so a crash in
 * between still leaves the attempt on record. No record, no action: if the attempt
 * cannot be written, the handler never runs.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const base = {
      // The access log's request id, so a log line and its audit rows can be joined.
      requestId: typeof request.id === 'string' ? request.id : randomUUID(),
      action: this.reflector.getAllAndOverride<string>(AUDITED_ACTION, [
        context.getHandler(),
        context.getClass(),
      ]),
      caller: peerAddress(request),
      recipient: recipientOf(request.body),
      body: stringField(request.body, 'body'),
    };
    // The resource a route acts on (/sms/approvals/:id/approve), when it names one.
    const target = Object.keys(request.params ?? {}).length
      ? { params: request.params }
      : undefined;
    const attempt: AuditEntry = { ...base, phase: 'attempt', detail: target };
    const joins = this.reflector.getAllAndOverride<boolean>(AUDIT_ATTEMPT_JOINS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (joins) {
      const { pending, result } = this.audit.recording(attempt, () => next.handle());
      return this.recordOutcome(result, base, target, (entry) =>
        this.audit.finish(pending, entry),
      ).pipe(
        // The handler failed before its first commit and its attempt is not on record either:
        // nothing was done, and the audit log is why nothing can be.
        catchError((error: unknown) =>
          throwError(() => (pending.attemptCommitted ? error : this.audit.unavailable(error))),
        ),
      );
    }
    this.audit.appendAttempt(attempt);
    return this.recordOutcome(next.handle(), base, target, (entry) => this.audit.append(entry));
  }

  private recordOutcome(
    handled: Observable<unknown>,
    base: Omit<AuditEntry, 'phase'>,
    target: Record<string, unknown> | undefined,
    write: (entry: AuditEntry) => void,
  ): Observable<unknown> {
    return handled.pipe(
      tap((result) => {
        const { recipient, ...described } = describeResult(result);
        this.record(write, {
          ...base,
          recipient: base.recipient ?? recipient,
          phase: 'outcome',
          ...described,
        });
      }),
      catchError((error: unknown) => {
        const { status, body } = toErrorBody(error);
        this.record(write, {
          ...base,
          phase: 'outcome',
          outcome: status >= 500 ? 'failed' : 'refused',
          reason: body.error.code,
          detail: { status, twilioCode: body.error.twilioCode, ...target },
        });
        return throwError(() => error);
      }),
    );
  }

  /** The action already happened; a failed outcome write must not turn it into an error. */
  private record(write: (entry: AuditEntry) => void, entry: AuditEntry): void {
    if (entry.action === 'send' && entry.outcome) this.metrics.send(entry.outcome);
    try {
      write(entry);
    } catch (error) {
      this.logger.error(`Audit outcome not recorded: ${(error as Error).message}`);
    }
  }
}
