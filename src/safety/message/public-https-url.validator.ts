import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { MAX_MEDIA_URL_LENGTH } from './message-limits';

/**
 * Twilio fetches media from the public internet, so a URL on any other address (loopback,
 * private, link-local, CGNAT, multicast, documentation and benchmarking ranges, 240/4, ...)
 * is a mistake at best, and at worst an attempt to make the bridge leak an internal one.
 * Only what ipaddr.js calls unicast is public: an IPv6 address that embeds an IPv4 one
 * (mapped, 6to4, Teredo, NAT64) is refused rather than decoded.
 */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  // URL has already turned 0x7f.1 and the like into dotted decimal.
  if (isIP(host) !== 0) return ipaddr.parse(host).range() !== 'unicast';
  // A single-label name (intranet) or localhost cannot be a public host.
  return host === 'localhost' || host.endsWith('.localhost') || !host.includes('.');
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
