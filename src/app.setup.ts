import { INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { ApiError } from './common/api-error';
import { ApiExceptionFilter } from './common/api-exception.filter';
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
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: '16kb' });
  // extended: false uses querystring: no nested objects, no prototype keys; repeats become arrays.
  app.useBodyParser('urlencoded', { extended: false, limit: '64kb' });
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
  return app;
}
