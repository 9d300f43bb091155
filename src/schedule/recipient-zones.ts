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
export async function recipientZones(number: string): Promise<string[]> {
  const zones = await timezones(parsePhoneNumberFromString(number));
  return (zones ?? []).filter(isKnownZone);
}
