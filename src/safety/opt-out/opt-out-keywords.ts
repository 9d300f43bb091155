export type Keyword = 'opt_out' | 'opt_in' | 'help';

/**
 * The keywords US carriers and Twilio act on
 * (https://help.twilio.com/articles/223134027). OPTOUT and REVOKE are the newer words
 * Twilio also honours since the FCC's 2025 revocation rules; treating them as STOP only
 * errs on the side of the recipient.
 */
const KEYWORDS: Record<string, Keyword> = {
  STOP: 'opt_out',
  STOPALL: 'opt_out',
  UNSUBSCRIBE: 'opt_out',
  CANCEL: 'opt_out',
  END: 'opt_out',
  QUIT: 'opt_out',
  OPTOUT: 'opt_out',
  REVOKE: 'opt_out',
  START: 'opt_in',
  YES: 'opt_in',
  UNSTOP: 'opt_in',
  HELP: 'help',
  INFO: 'help',
};

/** The keyword a text is, if the whole of it (trimmed, any case) is one; else null. */
export function parseKeyword(body: string): Keyword | null {
  const word = body.trim().toUpperCase();
  return Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : null;
}
