import { isIP } from 'node:net';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { MAX_MEDIA_URL_LENGTH } from './message-limits';

/**
 * Addresses Twilio must not be pointed at: loopback, private (RFC 1918, ULA), link-local,
 * CGNAT, unspecified. Twilio fetches media from the public internet, so such a URL is a
 * mistake at best and at worst an attempt to make the bridge leak an internal address.
 */
const PRIVATE_V4 = [
  /^0\./,
  /^10\./,
  /^127\./,
  /^169\.254\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^192\.168\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
];

function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host) === 4) return PRIVATE_V4.some((range) => range.test(host));
  if (isIP(host) === 6) return isPrivateV6(host);
  // A single-label name (intranet) or localhost cannot be a public host.
  return host === 'localhost' || host.endsWith('.localhost') || !host.includes('.');
}

/** Loopback, unspecified, ULA, link-local, and IPv4-mapped (which URL turns into hex). */
function isPrivateV6(host: string): boolean {
  return (
    host === '::' || host === '::1' || /^(fc|fd|fe[89ab])/.test(host) || host.startsWith('::ffff:')
  );
}

/** An https URL on a public host, as Twilio's MediaUrl must be. */
export function isPublicHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > MAX_MEDIA_URL_LENGTH) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' && !url.username && !url.password && !isPrivateHost(url.hostname)
  );
}

export function IsPublicHttpsUrl(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPublicHttpsUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: { validate: isPublicHttpsUrl },
    });
}
