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

/** The names under which this machine reaches itself; SMS_ALLOWED_HOSTS adds to them. */
export const LOCAL_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** The Host header's name, lowercased, without its port; undefined when there is none. */
export function hostName(header: string | undefined): string | undefined {
  const host = header?.trim().toLowerCase();
  if (!host) return undefined;
  const port = /:\d*$/.exec(host);
  // `[::1]:3032` ends in a port; a bare `[::1]` ends in its bracket.
  return port && (!host.startsWith('[') || host.lastIndexOf(']') < port.index)
    ? host.slice(0, port.index)
    : host;
}

/**
 * Whether the Host header names this machine (or a name the operator listed). A web page a
 * browser on this machine opened can reach loopback under its own name, after pointing that
 * name's DNS at 127.0.0.1 (DNS rebinding); its requests then carry that name in Host.
 */
export function namesThisMachine(header: string | undefined, allowedHosts: readonly string[]) {
  const name = hostName(header);
  return name !== undefined && (LOCAL_HOST_NAMES.includes(name) || allowedHosts.includes(name));
}

/**
 * The rule of local-only routes: a caller on this machine that did not come through a
 * proxy, under a Host that names this machine. The Unix socket is exempt from the Host
 * check: no browser can open it, and only users who may enter its directory connect.
 */
export function isLocalCaller(request: Request, allowedHosts: readonly string[]): boolean {
  if (wasProxied(request.headers)) return false;
  const peer = peerAddress(request);
  if (peer === UNIX_SOCKET_PEER) return true;
  return isLoopbackAddress(peer) && namesThisMachine(request.headers.host, allowedHosts);
}

export function localOnlyError(): ApiError {
  return new ApiError(
    'local_only',
    'This route only answers callers on this machine, not through a proxy, under a Host that names this machine (localhost, 127.0.0.1, [::1] or a name in SMS_ALLOWED_HOSTS).',
  );
}
