import { Controller, Get, Logger, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Request } from 'express';
import { createTempAudit, TempAudit } from '../../../test/helpers/temp-audit';
import { ApiError } from '../../common/api-error';
import { Audited } from '../audit/audited.decorator';
import { LoopbackGuard } from './loopback.guard';
import { PublicRoute } from './public-route.decorator';

@Controller()
class LocalController {
  @Get('inbox')
  inbox(): void {}

  @Post('send')
  @Audited('send')
  send(): void {}

  @Post('webhook')
  @PublicRoute()
  webhook(): void {}
}

@Controller()
@PublicRoute()
class PublicController {
  @Get('health')
  health(): void {}
}

type Handler = keyof LocalController | keyof PublicController;

describe(LoopbackGuard.name, () => {
  let temp: TempAudit;
  let guard: LoopbackGuard;

  beforeEach(async () => {
    temp = await createTempAudit();
    guard = new LoopbackGuard(new Reflector(), temp.audit, { allowedHosts: ['sms-bridge.lan'] });
  });
  afterEach(() => temp.close());

  function context(
    remoteAddress: string | undefined,
    headers: Record<string, string> = {},
    handler: Handler = 'inbox',
  ) {
    const request = {
      socket: { remoteAddress },
      headers: { host: '127.0.0.1:3032', ...headers },
    } as unknown as Request;
    const controller = handler === 'health' ? PublicController : LocalController;
    const method = (controller.prototype as unknown as Record<string, () => void>)[handler];
    return new ExecutionContextHost([request, {}, () => undefined], controller, method);
  }

  async function refusal(answer: Promise<unknown>): Promise<ApiError> {
    try {
      await answer;
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      return error as ApiError;
    }
    throw new Error('the guard let the request through');
  }

  it.each([
    ['IPv4 loopback', '127.0.0.1'],
    ['the rest of 127.0.0.0/8', '127.45.6.254'],
    ['IPv6 loopback', '::1'],
    ['IPv4-mapped IPv6 loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped 127.x', '::ffff:127.9.9.9'],
  ])('lets a direct caller on %s through', async (_name, address) => {
    expect(await guard.canActivate(context(address))).toBe(true);
  });

  it.each([
    ['a LAN address', '192.168.1.20'],
    ['a public address', '203.0.113.7'],
    ['an address that only starts like loopback', '128.0.0.1'],
    ['a mapped non-loopback address', '::ffff:10.0.0.1'],
    ['a public IPv6 address', '2001:db8::1'],
    ['IPv6 unspecified', '::'],
    ['a malformed 127 address', '127.0.0.1.evil'],
    ['an unknown peer', undefined],
  ])('refuses a caller on %s with 403 local_only', async (_name, address) => {
    const error = await refusal(guard.canActivate(context(address)));
    expect(error.getStatus()).toBe(403);
    expect(error.body.error.code).toBe('local_only');
  });

  it.each([
    ['X-Forwarded-For', { 'x-forwarded-for': '203.0.113.7' }],
    ['X-Forwarded-Proto', { 'x-forwarded-proto': 'https' }],
    ['X-Forwarded-Host', { 'x-forwarded-host': 'yourdomain.com' }],
    ['Forwarded', { forwarded: 'for=203.0.113.7;proto=https' }],
    ['X-Real-IP', { 'x-real-ip': '203.0.113.7' }],
    ['Via', { via: '1.1 caddy' }],
    ['X-Client-IP', { 'x-client-ip': '203.0.113.7' }],
    ['True-Client-IP', { 'true-client-ip': '203.0.113.7' }],
    ['CF-Connecting-IP', { 'cf-connecting-ip': '203.0.113.7' }],
  ])('refuses a loopback caller that came through a proxy (%s)', async (_name, headers) => {
    const error = await refusal(guard.canActivate(context('127.0.0.1', headers)));
    expect(error.getStatus()).toBe(403);
    expect(error.body.error.code).toBe('local_only');
    // Even a proxy's own loopback address does not make it local.
    await expect(guard.canActivate(context('::1', headers))).rejects.toThrow(ApiError);
  });

  it('lets a loopback caller with ordinary headers through', async () => {
    const headers = { host: '127.0.0.1:3032', 'user-agent': 'curl/8', 'content-type': 'a/b' };
    expect(await guard.canActivate(context('127.0.0.1', headers))).toBe(true);
  });

  it.each([
    ['localhost with the port', 'localhost:3032'],
    ['localhost without a port', 'localhost'],
    ['LOCALHOST in capitals', 'LOCALHOST:3032'],
    ['127.0.0.1 without a port', '127.0.0.1'],
    ['[::1] with the port', '[::1]:3032'],
    ['[::1] without a port', '[::1]'],
    ['a name listed in SMS_ALLOWED_HOSTS', 'sms-bridge.lan:3032'],
  ])('lets a loopback caller naming this machine as %s through', async (_name, host) => {
    expect(await guard.canActivate(context('127.0.0.1', { host }))).toBe(true);
  });

  it.each([
    ['a rebinding domain', 'rebind.attacker.example'],
    ['a rebinding domain with the port', 'rebind.attacker.example:3032'],
    ['a name that starts like localhost', 'localhost.attacker.example'],
    ['a name that ends like a listed one', 'evil-sms-bridge.lan'],
    ['another loopback address', '127.0.0.2:3032'],
    ['the IPv6 loopback unbracketed', '::1'],
    ['an empty Host', ''],
  ])('refuses a loopback caller whose Host is %s', async (_name, host) => {
    const error = await refusal(guard.canActivate(context('127.0.0.1', { host }, 'send')));
    expect(error.body.error.code).toBe('local_only');
    expect(await temp.rows()).toEqual([
      expect.objectContaining({ action: 'send', phase: 'attempt' }),
      expect.objectContaining({
        action: 'send',
        phase: 'outcome',
        outcome: 'refused',
        reason: 'local_only',
        detail: JSON.stringify({ proxied: false, host }),
      }),
    ]);
  });

  it('lets anyone reach a @PublicRoute handler or controller, proxied or not', async () => {
    const proxied = { 'x-forwarded-for': '203.0.113.7' };
    expect(await guard.canActivate(context('203.0.113.7', proxied, 'webhook'))).toBe(true);
    expect(await guard.canActivate(context('127.0.0.1', proxied, 'health'))).toBe(true);
    expect(await temp.rows()).toEqual([]);
  });

  it('records the refusal of an audited route in the audit log', async () => {
    await refusal(
      guard.canActivate(context('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }, 'send')),
    );
    expect(await temp.rows()).toEqual([
      expect.objectContaining({ action: 'send', phase: 'attempt', caller: '127.0.0.1' }),
      expect.objectContaining({
        action: 'send',
        phase: 'outcome',
        caller: '127.0.0.1',
        outcome: 'refused',
        reason: 'local_only',
      }),
    ]);
    expect(temp.lines()).toEqual([
      expect.objectContaining({ action: 'send', phase: 'attempt' }),
      expect.objectContaining({ action: 'send', outcome: 'refused', reason: 'local_only' }),
    ]);
  });

  it('still refuses with 403 when the refusal cannot be audited', async () => {
    Logger.overrideLogger(false);
    await temp.store.destroy();
    const error = await refusal(
      guard.canActivate(context('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }, 'send')),
    );
    expect(error.getStatus()).toBe(403);
    expect(error.body.error.code).toBe('local_only');
  });

  it('does not audit the refusal of a route that is not audited', async () => {
    await refusal(guard.canActivate(context('10.0.0.1', {}, 'inbox')));
    expect(await temp.rows()).toEqual([]);
    expect(temp.lines()).toEqual([]);
  });
});
