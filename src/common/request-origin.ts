import type { Request } from 'express';
import { ApiError } from './api-error';

/**
 * Headers that mean "a proxy forwarded this". Caddy sets X-Forwarded-For/-Proto/-Host;
 * others set Forwarded or X-Real-IP. Any of them on a loopback socket means the caller
 * is really somewhere else.
 */
const PROXY_HEADERS = new Set([
  'forwarded',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'x-cluster-client-ip',
  'fastly-client-ip',
  'via',
]);

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export function wasProxied(headers: Request['headers']): boolean {
  return Object.keys(headers).some(
    (name) => PROXY_HEADERS.has(name) || name.startsWith('x-forwarded-'),
  );
}

/** The socket peer: the only address a client cannot forge. */
export function peerAddress(request: Request): string {
  return request.socket.remoteAddress ?? 'unknown';
}

/** A caller on this machine that did not come through a proxy: the rule of local-only routes. */
export function isLocalCaller(request: Request): boolean {
  return isLoopbackAddress(peerAddress(request)) && !wasProxied(request.headers);
}

export function localOnlyError(): ApiError {
  return new ApiError(
    'local_only',
    'This route only answers callers on this machine, not through a proxy.',
  );
}
