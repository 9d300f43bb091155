/**
 * How many SMS segments a body costs, counted as Twilio counts them
 * (https://www.twilio.com/docs/glossary/what-sms-character-limit).
 *
 * GSM-7 when every character is in the GSM 03.38 basic table or its extension table
 * (an extension character is an escape plus a septet: 2 of the 160); otherwise UCS-2,
 * counted in UTF-16 code units, so an emoji outside the BMP costs 2 of the 70.
 * A multipart message loses room to its concatenation header (153 septets, 67 units)
 * and a part never ends between the two halves of an escape pair or a surrogate pair.
 */
export type Encoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: Encoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
}

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const LIMITS: Record<Encoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

const basic = new Set(GSM7_BASIC);
const extension = new Set(GSM7_EXTENSION);

/** The cost of each character (code point) of the body, in the body's encoding. */
function costs(body: string): { encoding: Encoding; costs: number[] } {
  const chars = Array.from(body);
  if (chars.every((char) => basic.has(char) || extension.has(char))) {
    return { encoding: 'GSM-7', costs: chars.map((char) => (extension.has(char) ? 2 : 1)) };
  }
  return { encoding: 'UCS-2', costs: chars.map((char) => char.length) };
}

export function countSegments(body: string): SegmentCount {
  const { encoding, costs: each } = costs(body);
  const units = each.reduce((sum, cost) => sum + cost, 0);
  const limit = LIMITS[encoding];
  if (units <= limit.single) return { encoding, segments: 1, units };
  let segments = 1;
  let used = 0;
  for (const cost of each) {
    if (used + cost > limit.part) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, segments, units };
}
