import { GUARDS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type {
  OperationObject,
  ResponseObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { NextFunction, Request, Response } from 'express';
import { isLocalCaller, localOnlyError } from '../common/request-origin';
import { AppConfig } from '../config/app-config';
import { ERROR_CODES, ErrorCode } from '../common/error-codes';
import { OPERATOR_AUTH } from '../safety/access/operator-only.decorator';
import { PUBLIC_ROUTE } from '../safety/access/public-route.decorator';
import { TwilioSignatureGuard } from '../twilio/twilio-signature.guard';
import { VERSION } from '../common/version';

export const DOCS_PATH = 'docs';

/** The OpenAPI security scheme of Twilio's webhook signature. */
const TWILIO_SIGNATURE = 'twilioSignature';

/** How a route is reached, from the metadata its guards read. */
interface RouteAccess {
  public: boolean;
  signedByTwilio: boolean;
}

/** Each handler's access, by the operationId @nestjs/swagger gives it (Controller_method). */
function routeAccess(app: NestExpressApplication): Map<string, RouteAccess> {
  const access = new Map<string, RouteAccess>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const guards = [
          ...((Reflect.getMetadata(GUARDS_METADATA, metatype) as unknown[]) ?? []),
          ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[]) ?? []),
        ];
        access.set(`${metatype.name}_${name}`, {
          public: Boolean(
            Reflect.getMetadata(PUBLIC_ROUTE, handler) ??
            Reflect.getMetadata(PUBLIC_ROUTE, metatype),
          ),
          signedByTwilio: guards.includes(TwilioSignatureGuard),
        });
      }
    }
  }
  return access;
}

function errorResponse(codes: ErrorCode[]): ResponseObject {
  return {
    description: codes.map((code) => `${code}: ${ERROR_CODES[code].meaning}`).join('\n\n'),
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/ApiErrorResponse' } },
    },
  };
}

/**
 * What the global guards add to every route, said once here rather than on each controller,
 * so that a new route cannot forget it: who may call it (the security requirement) and the
 * refusal the guard answers. The operator token is declared by @OperatorOnly itself.
 */
function describeAccess(document: OpenAPIObject, access: Map<string, RouteAccess>): void {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations) as OperationObject[]) {
      if (typeof operation !== 'object' || !operation.operationId) continue;
      // A route with several paths gets Controller_method[0], [1]...
      const route = access.get(operation.operationId.replace(/\[\d+\]$/, ''));
      if (!route) continue;
      const refusal: ErrorCode[] | undefined = route.signedByTwilio
        ? ['invalid_signature', 'wrong_account']
        : route.public
          ? // Nothing guards it: only a request the HTTP parser refuses gets a 4xx.
            undefined
          : ['local_only'];
      operation.security ??= route.signedByTwilio ? [{ [TWILIO_SIGNATURE]: [] }] : [];
      if (refusal) operation.responses['403'] ??= errorResponse(refusal);
      if (!Object.keys(operation.responses).some((status) => status.startsWith('4'))) {
        operation.responses['400'] = errorResponse(['invalid_http']);
      }
    }
  }
}

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
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Twilio-Signature',
        description:
          "Twilio's signature of the webhook (HMAC-SHA1 of the URL and form fields with the account's auth token).",
      },
      TWILIO_SIGNATURE,
    )
    // No credential by default: the loopback rule decides who may call (see each route).
    .addSecurityRequirements({})
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  describeAccess(document, routeAccess(app));
  return document;
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
