import { randomUUID } from 'node:crypto';
import { INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { ApiError } from './common/api-error';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { setupOpenApi } from './docs/openapi';
import { TWILIO_FORM_PATHS } from './inbox/webhook-paths';
import { AuditRepository } from './safety/audit.repository';
import { bodyPolicy } from './safety/body-policy';
import { peerAddress } from './common/request-origin';
import { Logger } from 'nestjs-pino';
import { MetricsService } from './metrics/metrics.service';

function validationError(errors: ValidationError[]): ApiError {
  const fields = errors.map((error) => ({
    field: error.property,
    problems: Object.values(error.constraints ?? {}).map((problem) =>
      problem.startsWith('property ') ? `${error.property} is not a known field` : problem,
    ),
  }));
  const summary = fields.map((field) => field.problems.join('; ')).join('; ');
  return new ApiError(400, 'validation_failed', `The request is invalid: ${summary}.`, { fields });
}

/** Everything main.ts and the tests' app must share, so tests run what production runs. */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  // Security headers on every answer, errors included. `trust proxy` stays unset on
  // purpose: req.ip must be the socket peer, or a forwarded header could pose as local.
  app.use(helmet());
  app.disable('x-powered-by');
  // Form bodies on Twilio's webhook paths, JSON everywhere else; see body-policy.ts.
  const audit = app.get(AuditRepository);
  app.use(
    bodyPolicy(TWILIO_FORM_PATHS, (request, error, form) => {
      // Refused before routing, so before the audit interceptor: a local route's refusal is
      // recorded here (every call of /sms/send leaves a record); public webhook noise is not.
      if (form) return;
      audit.appendBestEffort({
        requestId: String(request.id ?? randomUUID()),
        action: 'body_refused',
        phase: 'outcome',
        caller: peerAddress(request),
        outcome: 'refused',
        reason: error.code,
        detail: { method: request.method, path: request.path },
      });
    }),
  );
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationError,
    }),
  );
  const metrics = app.get(MetricsService);
  app.useGlobalFilters(new ApiExceptionFilter((code) => metrics.refusal(code)));
  setupOpenApi(app);
  return app;
}
