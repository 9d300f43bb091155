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
import { catchError, concatMap, from, Observable, switchMap, throwError } from 'rxjs';
import { peerAddress } from '../../common/request-origin';
import { MetricsService } from '../../metrics/metrics.service';
import type { AuditEntry } from './audit-entry';
import { AuditService } from './audit.service';
import { AuditedAction } from './audited-action';

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
    // The resource a route acts on (/sms/approvals/:id/approve), when it names one.
    const target = Object.keys(request.params ?? {}).length
      ? { params: request.params }
      : undefined;
    const action = new AuditedAction(
      {
        // The access log's request id, so a log line and its audit rows can be joined.
        requestId: typeof request.id === 'string' ? request.id : randomUUID(),
        action: this.reflector.getAllAndOverride<string>(AUDITED_ACTION, [
          context.getHandler(),
          context.getClass(),
        ]),
        caller: peerAddress(request),
        recipient: recipientOf(request.body),
        body: stringField(request.body, 'body'),
      },
      target,
    );
    const joins = this.reflector.getAllAndOverride<boolean>(AUDIT_ATTEMPT_JOINS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (joins) {
      const { pending, result } = this.audit.recording(action.attempt(), () => next.handle());
      return this.recordOutcome(result, action, (entry) => this.audit.finish(pending, entry)).pipe(
        // The handler failed before its first commit and its attempt is not on record either:
        // nothing was done, and the audit log is why nothing can be.
        catchError((error: unknown) =>
          throwError(() => (pending.attemptCommitted ? error : this.audit.unavailable(error))),
        ),
      );
    }
    return from(this.audit.appendAttempt(action.attempt())).pipe(
      switchMap(() =>
        this.recordOutcome(next.handle(), action, (entry) => this.audit.append(entry)),
      ),
    );
  }

  /** The answer leaves once its outcome is committed (with the writes that settle it). */
  private recordOutcome(
    handled: Observable<unknown>,
    action: AuditedAction,
    write: (entry: AuditEntry) => Promise<void>,
  ): Observable<unknown> {
    return handled.pipe(
      concatMap(async (result) => {
        await this.record(write, action.succeeded(result));
        return result;
      }),
      catchError((error: unknown) =>
        from(this.record(write, action.failed(error))).pipe(
          switchMap(() => throwError(() => error)),
        ),
      ),
    );
  }

  /** The action already happened; a failed outcome write must not turn it into an error. */
  private async record(
    write: (entry: AuditEntry) => Promise<void>,
    entry: AuditEntry,
  ): Promise<void> {
    if (entry.action === 'send' && entry.outcome) this.metrics.send(entry.outcome);
    try {
      await write(entry);
    } catch (error) {
      this.logger.error(`Audit outcome not recorded: ${(error as Error).message}`);
    }
  }
}
