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
import type { Response } from 'supertest';
import { OpenApiAnswers } from './helpers/open-api-answers';
import { TestApp } from './helpers/test-app';
import { withTestApp } from './helpers/with-test-app';

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
    // Routes the operator guide names, so an empty app cannot pass.
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
      const documented = operations.filter(
        ({ operation: { operationId } }) =>
          operationId === route.operationId || operationId?.startsWith(`${route.operationId}[`),
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
            : [`${route.operationId}: query [${query.join()}], accepts [${route.query.join()}]`];
        if (!route.body) return problems;
        const ref = (
          operation.requestBody as { content: Record<string, { schema: { $ref: string } }> }
        ).content['application/json'].schema.$ref;
        const schema = document.components.schemas[ref.split('/').pop()!] as SchemaObject;
        const body = Object.keys(schema.properties ?? {}).sort();
        return body.join() === route.body.join()
          ? problems
          : [
              ...problems,
              `${route.operationId}: body [${body.join()}], accepts [${route.body.join()}]`,
            ];
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
          const json = response.content['application/json'] as
            { schema?: { $ref?: string; type?: string; oneOf?: unknown[] } } | undefined;
          return json && !json.schema?.$ref && !json.schema?.type && !json.schema?.oneOf
            ? [`${where}: no schema`]
            : [];
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

describe('answers as the OpenAPI document describes them', () => {
  const PUBLIC_BASE = 'https://bridge.example.com';
  const FRIEND = '+15551230001';
  const STRANGER = '+15551230002';
  const ASKED = '+15551230003';
  const UNWANTED = '+15551230004';
  let t: TestApp;
  let answers: OpenApiAnswers;

  beforeAll(async () => {
    t = await TestApp.create({
      // Approvals on, so that sends are held; callbacks on, so that messages have a history.
      env: { SMS_REQUIRE_APPROVAL: 'true', SMS_PUBLIC_BASE_URL: PUBLIC_BASE },
    });
    answers = await OpenApiAnswers.of(t);
  });
  afterAll(() => t.close());

  const expectDocumented = (method: 'get' | 'post' | 'delete', path: string, res: Response) =>
    expect(answers.problems(method, path, res)).toEqual([]);
  /** A text to the bridge, signed for the public URL Twilio would call. */
  const inbound = async (from: string, body: string, params?: Record<string, string>) => {
    const signedUrl = `${PUBLIC_BASE}/sms/webhook`;
    expect((await t.simulator.sendInbound({ from, body, params, signedUrl })).status).toBe(200);
  };
  const hold = async (to: string) =>
    (await t.http().post('/sms/send').send({ to, body: 'Hello from the agent' }).expect(202)).body
      .approvalId as string;

  it('answers a send, accepted or held', async () => {
    const contact = await t
      .http()
      .post('/sms/contacts')
      .set(t.asOperator)
      .send({ number: FRIEND })
      .expect(201);
    expectDocumented('post', '/sms/contacts', contact);
    const sent = await t
      .http()
      .post('/sms/send')
      .set('Idempotency-Key', 'first-send')
      .send({ to: FRIEND, body: 'A picture', mediaUrl: ['https://example.com/a.jpg'] })
      .expect(201);
    expectDocumented('post', '/sms/send', sent);
    const held = await t.http().post('/sms/send').send({ to: STRANGER, body: 'Hi' }).expect(202);
    expectDocumented('post', '/sms/send', held);
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const later = await t
      .http()
      .post('/sms/send')
      .send({ to: FRIEND, body: 'Later', sendAt })
      .expect(202);
    expectDocumented('post', '/sms/send', later);
    const heldForLater = await t
      .http()
      .post('/sms/send')
      .send({ to: STRANGER, body: 'Later', sendAt })
      .expect(202);
    expectDocumented('post', '/sms/send', heldForLater);
    const refused = await t.http().post('/sms/send').send({ to: 'nobody' }).expect(400);
    expectDocumented('post', '/sms/send', refused);
  });

  it('answers the inbox, the outbox and one message', async () => {
    await t.http().post('/sms/send').send({ to: FRIEND, body: 'Did it arrive?' }).expect(201);
    await t.simulator.flushCallbacks();
    await inbound(FRIEND, 'A picture', {
      NumMedia: '1',
      MediaUrl0: 'https://api.twilio.com/ME0',
      MediaContentType0: 'image/png',
    });
    await inbound(FRIEND, 'Stop by at 5?');

    const inbox = await t.http().get('/sms/inbox?includeSuppressed=true').expect(200);
    expect(inbox.body.messages).toHaveLength(2);
    expectDocumented('get', '/sms/inbox', inbox);
    const outbox = await t
      .http()
      .get(`/sms/outbox?to=${encodeURIComponent(FRIEND)}`)
      .expect(200);
    expect(outbox.body.messages.at(-1).status).toBe('delivered');
    expectDocumented('get', '/sms/outbox', outbox);
    for (const { sid } of [...inbox.body.messages, ...outbox.body.messages]) {
      expectDocumented('get', '/sms/messages/{sid}', await t.http().get(`/sms/messages/${sid}`));
    }
    const unknown = await t
      .http()
      .get('/sms/messages/SM00000000000000000000000000000000')
      .expect(404);
    expectDocumented('get', '/sms/messages/{sid}', unknown);
  });

  it('answers approvals: asked, listed, approved with and without a message, denied', async () => {
    const asked = await t
      .http()
      .post('/sms/approvals')
      .send({ to: ASKED, reason: 'Alex asked me to text the plumber.' })
      .expect(201);
    expectDocumented('post', '/sms/approvals', asked);
    const held = await hold(STRANGER);
    const unwanted = await hold(UNWANTED);

    const list = await t.http().get('/sms/approvals?status=pending').expect(200);
    expect(list.body.approvals.length).toBeGreaterThanOrEqual(3);
    expectDocumented('get', '/sms/approvals', list);

    const withMessage = await t
      .http()
      .post(`/sms/approvals/${held}/approve`)
      .set(t.asOperator)
      .expect(200);
    expect(withMessage.body.message).not.toBeNull();
    expectDocumented('post', '/sms/approvals/{id}/approve', withMessage);
    const withoutMessage = await t
      .http()
      .post(`/sms/approvals/${asked.body.approval.id}/approve`)
      .set(t.asOperator)
      .expect(200);
    expect(withoutMessage.body.message).toBeNull();
    expectDocumented('post', '/sms/approvals/{id}/approve', withoutMessage);
    const denied = await t
      .http()
      .post(`/sms/approvals/${unwanted}/deny`)
      .set(t.asOperator)
      .expect(200);
    expectDocumented('post', '/sms/approvals/{id}/deny', denied);
    const again = await t.http().post(`/sms/approvals/${unwanted}/deny`).set(t.asOperator);
    expect(again.status).toBe(409);
    expectDocumented('post', '/sms/approvals/{id}/deny', again);
    const byTheAgent = await t.http().post(`/sms/approvals/${unwanted}/approve`);
    expect(byTheAgent.status).toBe(403);
    expectDocumented('post', '/sms/approvals/{id}/approve', byTheAgent);
  });

  it('answers contacts in every state', async () => {
    await inbound('+15551230005', 'STOP');
    await hold('+15551230006');
    const contacts = await t.http().get('/sms/contacts').expect(200);
    const states = contacts.body.contacts.map((c: { state: string }) => c.state);
    expect(new Set(states)).toEqual(new Set(['approved', 'pending', 'denied', 'opted_out']));
    expectDocumented('get', '/sms/contacts', contacts);
  });

  it('answers the limits, with and without a recipient', async () => {
    expectDocumented('get', '/sms/limits', await t.http().get('/sms/limits').expect(200));
    const recipient = await t
      .http()
      .get(`/sms/limits?to=${encodeURIComponent(FRIEND)}`)
      .expect(200);
    expect(recipient.body.perRecipient.used).toBeGreaterThan(0);
    expectDocumented('get', '/sms/limits', recipient);
    expectDocumented('get', '/sms/limits', await t.http().get('/sms/limits?to=x').expect(400));
  });

  it('answers the audit trail', async () => {
    const audit = await t.http().get('/sms/audit?limit=500').expect(200);
    const actions = new Set(audit.body.entries.map((e: { action: string }) => e.action));
    expect([...actions]).toEqual(
      expect.arrayContaining(['send', 'pre_approve', 'request_approval', 'approve', 'deny']),
    );
    expectDocumented('get', '/sms/audit', audit);
    const next = await t.http().get(`/sms/audit?after=${audit.body.nextCursor}`).expect(200);
    expectDocumented('get', '/sms/audit', next);
  });

  it('answers sends for later: listed, cancelled, refused', async () => {
    const sendAt = new Date(Date.now() + 7_200_000).toISOString();
    const later = await t
      .http()
      .post('/sms/send')
      .send({ to: FRIEND, body: 'Cancel me', sendAt })
      .expect(202);
    const list = await t.http().get('/sms/scheduled').expect(200);
    expect(list.body.scheduled.length).toBeGreaterThan(0);
    expectDocumented('get', '/sms/scheduled', list);
    const filtered = await t.http().get('/sms/scheduled?status=scheduled').expect(200);
    expectDocumented('get', '/sms/scheduled', filtered);
    expectDocumented('get', '/sms/scheduled', await t.http().get('/sms/scheduled?status=x'));
    const cancelled = await t.http().delete(`/sms/scheduled/${later.body.id}`).expect(200);
    expect(cancelled.body.scheduled.status).toBe('cancelled');
    expectDocumented('delete', '/sms/scheduled/{id}', cancelled);
    const unknown = await t.http().delete('/sms/scheduled/nothing').expect(404);
    expectDocumented('delete', '/sms/scheduled/{id}', unknown);
  });

  it('answers conversations and one conversation', async () => {
    const list = await t.http().get('/sms/conversations').expect(200);
    expect(list.body.conversations.length).toBeGreaterThan(0);
    expectDocumented('get', '/sms/conversations', list);
    const thread = await t
      .http()
      .get(`/sms/conversations/${encodeURIComponent(FRIEND)}`)
      .expect(200);
    expect(thread.body.messages.length).toBeGreaterThan(0);
    expectDocumented('get', '/sms/conversations/{number}', thread);
    const held = await t
      .http()
      .get(`/sms/conversations/${encodeURIComponent(STRANGER)}`)
      .expect(200);
    expectDocumented('get', '/sms/conversations/{number}', held);
    const bad = await t.http().get('/sms/conversations/12345').expect(400);
    expectDocumented('get', '/sms/conversations/{number}', bad);
  });

  it('answers health and readiness', async () => {
    expectDocumented('get', '/health', await t.http().get('/health').expect(200));
    expectDocumented('get', '/health/ready', await t.http().get('/health/ready').expect(200));
  });
});

describe('the operator texts as the OpenAPI document describes them', () => {
  const OPERATOR = '+15551239000';

  it('answers the list of texts to and from the operator phones', () =>
    withTestApp(
      { env: { SMS_REQUIRE_APPROVAL: 'true', SMS_OPERATOR_NUMBERS: OPERATOR } },
      async (t) => {
        const answers = await OpenApiAnswers.of(t);
        await t.http().post('/sms/send').send({ to: '+15551230009', body: 'Hi' }).expect(202);
        for (let i = 0; i < 200 && t.simulator.messages.length === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const texts = await t.http().get('/sms/operator-texts').set(t.asOperator).expect(200);
        expect(texts.body.texts).toHaveLength(1);
        expect(answers.problems('get', '/sms/operator-texts', texts)).toEqual([]);
        const refused = await t.http().get('/sms/operator-texts').expect(403);
        expect(answers.problems('get', '/sms/operator-texts', refused)).toEqual([]);
      },
    ));
});
