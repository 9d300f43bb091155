import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { isLocalCaller, localOnlyError } from '../common/request-origin';
import { AppConfig } from '../config/app-config';
import { OPERATOR_AUTH } from '../safety/access/operator-only.decorator';
import { VERSION } from '../common/version';

export const DOCS_PATH = 'docs';

export function buildOpenApiDocument(app: NestExpressApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('sms-bridge')
    .setDescription(
      'Local API of the SMS bridge: send texts through Twilio, read replies, follow delivery. ' +
        'Every route except the Twilio webhooks and /health answers only callers on this machine.',
    )
    .setVersion(VERSION)
    .addServer(`http://127.0.0.1:${app.get(AppConfig).port}`)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: `The operator token: the contents of ${app.get(AppConfig).operatorTokenFile}. Approving, denying, pre-approving and backups need it.`,
      },
      OPERATOR_AUTH,
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Swagger's routes are plain Express routes registered beside Nest's, so the global
 * LoopbackGuard never sees them: this middleware applies the same rule to them.
 */
function docsAreLocalOnly(allowedHosts: readonly string[]) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    // Express matches routes case-insensitively: /DOCS-JSON reaches the same handler.
    const path = request.path.toLowerCase();
    const isDocs =
      path === `/${DOCS_PATH}` ||
      path.startsWith(`/${DOCS_PATH}/`) ||
      path.startsWith(`/${DOCS_PATH}-`);
    // Through Nest's error handler, so the one exception filter answers (and counts) it.
    next(isDocs && !isLocalCaller(request, allowedHosts) ? localOnlyError() : undefined);
  };
}

/** The OpenAPI document at /docs-json and Swagger UI at /docs, both local-only. */
export function setupOpenApi(app: NestExpressApplication): void {
  app.use(docsAreLocalOnly(app.get(AppConfig).allowedHosts));
  // Built on first request: by then every module's routes are known.
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
  });
}
