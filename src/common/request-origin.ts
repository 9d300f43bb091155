import type { Socket } from 'node:net';
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

/**
 * Connections accepted on the bridge's Unix socket. They have no address, and they come from
 * this machine by construction: only users who may enter the socket's directory connect.
 */
const unixSocketPeers = new WeakSet<Socket>();

export function markUnixSocketPeer(socket: Socket): void {
  unixSocketPeers.add(socket);
}

/** The caller named in the audit for requests that came over the Unix socket. */
export const UNIX_SOCKET_PEER = 'unix';

/** The socket peer: the only address a client cannot forge. */
export function peerAddress(request: Request): string {
  if (unixSocketPeers.has(request.socket)) return UNIX_SOCKET_PEER;
  return request.socket.remoteAddress ?? 'unknown';
}

/** A caller on this machine that did not come through a proxy: the rule of local-only routes. */
export function isLocalCaller(request: Request): boolean {
  const peer = peerAddress(request);
  return (peer === UNIX_SOCKET_PEER || isLoopbackAddress(peer)) && !wasProxied(request.headers);
}

export function localOnlyError(): ApiError {
  return new ApiError(
    'local_only',
    'This route only answers callers on this machine, not through a proxy.',
  );
}
