import { statusCallbackSibling } from './webhook-url.check';

describe('statusCallbackSibling', () => {
  it.each([
    ['Caddy handle /api/sms', 'https://example.com/api/sms', 'https://example.com/api/sms/status'],
    ['a trailing slash', 'https://example.com/api/sms/', 'https://example.com/api/sms/status'],
    ['the bridge’s own path', 'https://example.com/sms/webhook', 'https://example.com/sms/status'],
    ['handle_path at the root', 'https://example.com/', 'https://example.com/status'],
    ['a query, dropped', 'https://example.com/api/sms?x=1', 'https://example.com/api/sms/status'],
  ])('pairs the inbound URL behind %s with its status path', (_name, inbound, status) => {
    expect(statusCallbackSibling(inbound)).toBe(status);
  });
});
