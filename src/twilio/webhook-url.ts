import type { Request } from 'express';
import { isLoopbackAddress, peerAddress } from '../common/request-origin';

/**
 * The URL Twilio signed: the one it called, query included
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 *
 * With SMS_PUBLIC_BASE_URL set, it is that URL plus the path the bridge was called on:
 * the public URL stands for the bridge's `/`. Behind Caddy's `handle /api/sms` (path
 * kept) the base is https://yourdomain.com; behind `handle_path /api/sms` (prefix
 * stripped, the bridge sees `/`) it is https://yourdomain.com/api/sms, and a bare `/`
 * adds nothing, since Twilio called .../api/sms, not .../api/sms/.
 *
 * Without it, only a proxy on this machine is believed about the origin it was called
 * on (X-Forwarded-Host or Host, and X-Forwarded-Proto). That cannot recover a stripped
 * prefix, so `handle_path` needs SMS_PUBLIC_BASE_URL.
 */
export function signedUrl(request: Request, publicBaseUrl: string | undefined): string | null {
  const path = request.originalUrl;
  if (publicBaseUrl) {
    const rest = path === '/' || path.startsWith('/?') ? path.slice(1) : path;
    return publicBaseUrl + rest;
  }
  if (!isLoopbackAddress(peerAddress(request))) return null;
  const host = firstValue(request.headers['x-forwarded-host']) ?? request.headers.host;
  if (!host) return null;
  const proto = firstValue(request.headers['x-forwarded-proto']);
  return `${proto === 'https' ? 'https' : 'http'}://${host}${path}`;
}

/** The first of a header's values: proxies in a chain append theirs after the first one's. */
function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0].trim() || undefined;
}
