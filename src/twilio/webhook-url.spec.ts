import type { Request } from 'express';
import { signedUrl } from './webhook-url';

function request(
  remoteAddress: string,
  originalUrl: string,
  headers: Record<string, string | string[]> = {},
): Request {
  return { socket: { remoteAddress }, originalUrl, headers } as unknown as Request;
}

describe(signedUrl.name, () => {
  describe('with a public base URL', () => {
    it('is the base URL plus the path and query Twilio called', () => {
      const req = request('127.0.0.1', '/api/sms?tenant=a&x=%20y', { host: '127.0.0.1:3032' });
      expect(signedUrl(req, 'https://yourdomain.com')).toBe(
        'https://yourdomain.com/api/sms?tenant=a&x=%20y',
      );
    });

    it('keeps a path prefix of the base URL', () => {
      const req = request('127.0.0.1', '/sms/webhook');
      expect(signedUrl(req, 'https://yourdomain.com/bridge')).toBe(
        'https://yourdomain.com/bridge/sms/webhook',
      );
    });

    it('ignores Host and X-Forwarded-Proto, which any caller can set', () => {
      const req = request('203.0.113.7', '/api/sms', {
        host: 'evil.example',
        'x-forwarded-proto': 'http',
      });
      expect(signedUrl(req, 'https://yourdomain.com')).toBe('https://yourdomain.com/api/sms');
    });
  });

  describe('without a public base URL', () => {
    it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])(
      'uses Host and X-Forwarded-Proto from a loopback peer (%s), as Caddy sends them',
      (peer) => {
        const req = request(peer, '/api/sms?a=1', {
          host: 'yourdomain.com',
          'x-forwarded-proto': 'https',
          'x-forwarded-for': '203.0.113.7',
        });
        expect(signedUrl(req, undefined)).toBe('https://yourdomain.com/api/sms?a=1');
      },
    );

    it('is http on the Host when nothing says otherwise', () => {
      const req = request('127.0.0.1', '/sms/webhook', { host: '127.0.0.1:3032' });
      expect(signedUrl(req, undefined)).toBe('http://127.0.0.1:3032/sms/webhook');
    });

    it.each([
      ['the first of several protos', 'https, http', 'https'],
      ['an unknown proto', 'gopher', 'http'],
    ])('reads %s', (_name, proto, scheme) => {
      const req = request('127.0.0.1', '/api/sms', {
        host: 'yourdomain.com',
        'x-forwarded-proto': proto,
      });
      expect(signedUrl(req, undefined)).toBe(`${scheme}://yourdomain.com/api/sms`);
    });

    it('reads the first of repeated X-Forwarded-Proto headers', () => {
      const req = request('127.0.0.1', '/api/sms', {
        host: 'yourdomain.com',
        'x-forwarded-proto': ['https', 'http'],
      });
      expect(signedUrl(req, undefined)).toBe('https://yourdomain.com/api/sms');
    });

    it.each(['203.0.113.7', '10.0.0.2', '::ffff:192.168.1.1', '2001:db8::1'])(
      'is null for a peer that is not loopback (%s): its Host proves nothing',
      (peer) => {
        const req = request(peer, '/api/sms', {
          host: 'yourdomain.com',
          'x-forwarded-proto': 'https',
        });
        expect(signedUrl(req, undefined)).toBeNull();
      },
    );

    it('is null without a Host header', () => {
      expect(signedUrl(request('127.0.0.1', '/api/sms'), undefined)).toBeNull();
    });
  });
});
