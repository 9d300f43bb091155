import type { Request } from 'express';
import { isLoopbackAddress, peerAddress } from '../common/request-origin';

/**
 * The URL Twilio signed: the one it called, query included
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 * Behind Caddy that is the public origin, not ours; the configured public base URL
 * says what it is. Without one, only a proxy on this machine is believed about the
 * origin it was called on (Host and X-Forwarded-Proto).
 */
export function signedUrl(request: Request, publicBaseUrl: string | undefined): string | null {
  if (publicBaseUrl) return publicBaseUrl + request.originalUrl;
  if (!isLoopbackAddress(peerAddress(request))) return null;
  const host = request.headers.host;
  if (!host) return null;
  const forwardedProto = request.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto)
    ?.split(',')[0]
    .trim();
  return `${proto === 'https' ? 'https' : 'http'}://${host}${request.originalUrl}`;
}
