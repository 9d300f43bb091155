import { isIP } from 'node:net';
import { isLoopbackAddress } from '../common/request-origin';

/** Where inbound messages are pushed: an http(s) URL, or an HTTP server on a unix socket. */
export type ForwardTarget =
  { kind: 'http'; url: URL } | { kind: 'unix'; socketPath: string; path: string };

// unix:/run/agent.sock or unix:/run/agent.sock:/hooks/sms (the socket path holds no colon).
const UNIX_TARGET = /^unix:(\/[^:]+)(?::(\/.*))?$/;

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost') return true;
  return isIP(host) !== 0 && isLoopbackAddress(host);
}

/**
 * Reads SMS_FORWARD_URL. Inbound texts are private, so by default they may only go to
 * this machine: 127.0.0.0/8, ::1, localhost or a unix socket. Returns a problem
 * sentence instead of a target when the value is not acceptable.
 */
export function parseForwardTarget(value: string, allowRemote: boolean): ForwardTarget | string {
  const unix = UNIX_TARGET.exec(value);
  if (unix) return { kind: 'unix', socketPath: unix[1], path: unix[2] ?? '/' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http(s) URL such as http://127.0.0.1:8080/hooks/sms, or unix:/path/to.sock[:/http/path]';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'must be an http(s) URL or unix:/path/to.sock[:/http/path]';
  }
  if (url.username || url.password) {
    return 'must not carry credentials; SMS_FORWARD_SECRET (or SMS_FORWARD_BEARER) authenticates the bridge';
  }
  if (url.searchParams.has('token')) {
    return 'must not carry a token in its query (OpenClaw refuses ?token=); SMS_FORWARD_SECRET is sent as Authorization: Bearer';
  }
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    return 'must point at this machine (127.0.0.0/8, ::1, localhost or unix:); set SMS_FORWARD_ALLOW_REMOTE=true to allow another host';
  }
  return { kind: 'http', url };
}

/** The target as logs may show it. */
export function describeForwardTarget(target: ForwardTarget): string {
  return target.kind === 'unix'
    ? `unix:${target.socketPath}:${target.path}`
    : `${target.url.origin}${target.url.pathname}`;
}
