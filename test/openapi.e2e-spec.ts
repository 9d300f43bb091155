import type { Express } from 'express';
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
