import SwaggerParser from '@apidevtools/swagger-parser';
import { ROUTE_ARGS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { getMetadataStorage } from 'class-validator';
import type { Express } from 'express';
import { OpenApiAnswers } from './helpers/open-api-answers';
import { TestApp } from './helpers/test-app';

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** Every route Express serves for the app, as "METHOD /path/{param}". */
function servedRoutes(t: TestApp): string[] {
  const express = t.app.getHttpAdapter().getInstance() as Express & {
    router: { stack: RouterLayer[] };
  };
  const routes = new Set<string>();
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    for (const path of [layer.route.path].flat()) {
      // Middleware bound to every route (the request logger) is not an API route.
      if (/^\/?\{\/?\*\w+\}$/.test(path)) continue;
      for (const method of Object.keys(layer.route.methods)) {
        routes.add(`${method.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`);
      }
    }
  }
  return [...routes].sort();
}

/** What a route handler takes from the request, as Nest and class-validator see it. */
interface RouteInputs {
  /** The operationId @nestjs/swagger gives the handler: Controller_method. */
  operationId: string;
  /** Query parameters the route accepts: the properties its query DTO validates. */
  query: string[];
  /** Body properties it accepts, when its body is a validated DTO. */
  body?: string[];
}

/** The properties a DTO validates: under forbidNonWhitelisted, exactly those it accepts. */
function validatedProperties(dto: new () => unknown): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false);
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}

/** Every route handler of the app with the inputs it validates. */
function routeInputs(t: TestApp): RouteInputs[] {
  const routes: RouteInputs[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as new () => object;
      const prototype = controller.prototype as Record<string, () => unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        if (name === 'constructor') continue;
        if (Reflect.getMetadata(METHOD_METADATA, prototype[name]) === undefined) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
          string,
          { index: number; data?: string }
        >;
        const types = Reflect.getMetadata(
          'design:paramtypes',
          prototype,
          name,
        ) as (new () => unknown)[];
        const inputs = (kind: RouteParamtypes) =>
          Object.entries(args)
            .filter(([key]) => key.startsWith(`${kind}:`))
            .map(([, arg]) => ({ name: arg.data, type: types[arg.index] }));
        const query = inputs(RouteParamtypes.QUERY).flatMap((arg) =>
          arg.name ? [arg.name] : validatedProperties(arg.type),
        );
        // A body typed by an interface (Twilio's webhook form) is documented by hand.
        const body = inputs(RouteParamtypes.BODY).find((arg) => arg.type !== Object);
        routes.push({
          operationId: `${controller.name}_${name}`,
          query: query.sort(),
          body: body && validatedProperties(body.type),
        });
      }
    }
  }
  return routes;
}

type Operations = { path: string; method: string; operation: OperationObject }[];

function operationsOf(document: OpenAPIObject): Operations {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, OperationObject>).map(([method, operation]) => ({
      path,
      method,
      operation,
    })),
  );
}

describe('OpenAPI document', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t.close());

  it('lists every route of the app', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    const documented = Object.entries(res.body.paths as Record<string, object>)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    const served = servedRoutes(t).filter((route) => !/ \/docs/.test(route));
    expect(documented).toEqual(served);
    // The routes this issue and the seed name, so an empty app cannot pass.
    expect(documented).toEqual(
      expect.arrayContaining([
        'GET /health',
        'GET /sms/inbox',
        'GET /sms/messages/{sid}',
        'GET /sms/outbox',
        'POST /api/sms',
        'POST /api/sms/status',
        'POST /sms/send',
        'POST /sms/status',
        'POST /sms/webhook',
      ]),
    );
  });

  it('describes the send request and answer with examples', async () => {
    const { body } = await t.http().get('/docs-json').expect(200);
    const send = body.paths['/sms/send'].post;
    expect(send.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/SendSmsDto',
    );
    const schemas = body.components.schemas;
    expect(schemas.SendSmsDto.properties.to.example).toBe('+15551234567');
    expect(schemas.SendSmsDto.properties.mediaUrl.type).toBe('array');
    expect(schemas.SendResponseDto.properties).toHaveProperty('segments');
    expect(schemas.Message.properties).toHaveProperty('history');
    expect(send.responses['400'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ApiErrorResponse',
    );
    const outbox = body.paths['/sms/outbox'].get.parameters.map((p: { name: string }) => p.name);
    expect(outbox.sort()).toEqual(['limit', 'since', 'status', 'to']);
  });

  it('is a valid OpenAPI document', async () => {
    const { body } = await t.http().get('/docs-json').expect(200);
    // validate() dereferences in place; the copy keeps the answer as served.
    await expect(SwaggerParser.validate(structuredClone(body))).resolves.toBeDefined();
  });

  it('declares every query parameter and body property each route accepts', async () => {
    const { body: document } = await t.http().get('/docs-json').expect(200);
    const operations = operationsOf(document);
    const routes = routeInputs(t);
    // The routes with inputs, so that a walk that found nothing cannot pass.
    expect(routes.filter((route) => route.query.length > 0).length).toBeGreaterThanOrEqual(5);
    const undeclared = routes.flatMap((route) => {
      // A handler served on several paths has one operation each: Controller_method[i].
      const documented = operations.filter(({ operation: { operationId } }) =>
        [route.operationId, `${route.operationId}[`].some((id) => operationId?.startsWith(id)),
      );
      if (documented.length === 0) return [`${route.operationId}: not documented`];
      return documented.flatMap(({ operation }) => {
        const query = ((operation.parameters ?? []) as ParameterObject[])
          .filter((p) => p.in === 'query')
          .map((p) => p.name)
          .sort();
        const problems =
          query.join() === route.query.join()
            ? []
            : [`${route.operationId}: query [${query}], accepts [${route.query}]`];
        if (!route.body) return problems;
        const ref = (
          operation.requestBody as { content: Record<string, { schema: { $ref: string } }> }
        ).content['application/json'].schema.$ref;
        const schema = document.components.schemas[ref.split('/').pop()!] as SchemaObject;
        const body = Object.keys(schema.properties ?? {}).sort();
        return body.join() === route.body.join()
          ? problems
          : [...problems, `${route.operationId}: body [${body}], accepts [${route.body}]`];
      });
    });
    expect(undeclared).toEqual([]);
  });

  it('declares the Idempotency-Key header of a send', async () => {
    const { body } = await t.http().get('/docs-json').expect(200);
    const headers = (body.paths['/sms/send'].post.parameters as ParameterObject[]).filter(
      (p) => p.in === 'header',
    );
    expect(headers).toEqual([
      expect.objectContaining({
        name: 'Idempotency-Key',
        required: false,
        schema: expect.objectContaining({ type: 'string', maxLength: 255 }),
      }),
    ]);
  });

  it('gives every successful answer a media type, and every JSON answer a schema', async () => {
    const { body } = await t.http().get('/docs-json').expect(200);
    const missing = operationsOf(body).flatMap(({ path, method, operation }) =>
      Object.entries(operation.responses as Record<string, ResponseObject>)
        .filter(([status]) => /^2\d\d$/.test(status) && status !== '204')
        .flatMap(([status, response]) => {
          const where = `${method.toUpperCase()} ${path} ${status}`;
          if (!response.content) return [`${where}: no content`];
          const json = response.content['application/json'];
          return json && !json.schema?.$ref && !json.schema?.type ? [`${where}: no schema`] : [];
        }),
    );
    expect(missing).toEqual([]);
  });

  it('serves Swagger UI locally', async () => {
    const res = await t.http().get('/docs').expect(200);
    expect(res.text).toContain('swagger-ui');
  });

  it.each([
    '/docs',
    '/docs/',
    '/docs-json',
    '/DOCS-JSON',
    '/docs-json/',
    '/docs-yaml',
    '/docs/swagger-ui-init.js',
    '/docs/swagger-ui.css',
  ])('refuses %s to a caller that came through a proxy', async (path) => {
    const res = await t.http().get(path).set('X-Forwarded-For', '203.0.113.9').expect(403);
    expect(res.body.error.code).toBe('local_only');
  });
});
