import { timezones } from 'libphonenumber-geo-carrier';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The IANA zones a number may ring in, from libphonenumber's time-zone mapping (by calling
 * code and prefix): one for most numbers, several where a prefix spans zones (Idaho's 208),
 * dozens for US toll-free numbers, none for what the mapping does not know.
 */
export function recipientZones(number: string): Promise<string[]> {
  // The library reads and decodes its 100 KB mapping file on every call; a number's zones
  // never change, so each is looked up once (the oldest forgotten past a bound).
  let zones = known.get(number);
  if (!zones) {
    zones = lookUp(number);
    known.set(number, zones);
    if (known.size > MAX_KNOWN) known.delete(known.keys().next().value!);
  }
  return zones;
}

const MAX_KNOWN = 10_000;
const known = new Map<string, Promise<string[]>>();

async function lookUp(number: string): Promise<string[]> {
  const zones = await timezones(parsePhoneNumberFromString(number));
  return (zones ?? []).filter(isKnownZone);
}
