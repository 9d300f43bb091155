/** A decision texted by an operator: YES or NO and the code it answers. */
export interface CodedReply {
  decision: 'approved' | 'denied';
  code: string;
}

/** Invisible characters a phone keyboard or a paste can add (zero-width, bidi marks). */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const CODED = /^(yes|no)[\s\p{P}\p{S}]*(\d+)$/iu;
const EDGES = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;

/**
 * Reads "YES 482913" or "no 482913" as the operator types it: any case, fullwidth forms
 * folded (NFKC), spaces and punctuation around it ignored ("Yes, 482913!"). Anything else
 * is not a decision (null), so a chatty reply can never be read as one.
 */
export function readCodedReply(body: string): CodedReply | null {
  const text = body.normalize('NFKC').replace(INVISIBLE, '').replace(EDGES, '');
  const match = CODED.exec(text);
  if (!match) return null;
  return { decision: match[1].toLowerCase() === 'yes' ? 'approved' : 'denied', code: match[2] };
}

/** What is kept of an operator's text: runs of digits (a code, right or wrong) masked. */
export function maskCodes(body: string): string {
  return body.normalize('NFKC').replace(/\d{4,}/g, (digits) => '*'.repeat(digits.length));
}
