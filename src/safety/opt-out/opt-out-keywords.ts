export type Keyword = 'opt_out' | 'opt_in' | 'help';

/** What a reply asks of the bridge, and whether a person should read it for an opt-out. */
export interface Reading {
  keyword: Keyword | null;
  /**
   * The reply mentions opting out (STOP in a sentence, a phrase with more around it) but
   * is not read as one: the agent and the operator should read it and decide.
   */
  optOutHint: boolean;
}

/**
 * The keywords US carriers and Twilio act on
 * (https://help.twilio.com/articles/223134027). OPTOUT and REVOKE are the newer words
 * Twilio also honours since the FCC's 2025 revocation rules; treating them as STOP only
 * errs on the side of the recipient. YES is missing on purpose: see readReply.
 */
const KEYWORDS = new Map<string, Keyword>([
  ['stop', 'opt_out'],
  ['stopall', 'opt_out'],
  ['unsubscribe', 'opt_out'],
  ['cancel', 'opt_out'],
  ['end', 'opt_out'],
  ['quit', 'opt_out'],
  ['optout', 'opt_out'],
  ['revoke', 'opt_out'],
  ['start', 'opt_in'],
  ['unstop', 'opt_in'],
  ['help', 'help'],
  ['info', 'help'],
]);

/** Words people wrap a keyword in that do not change what it asks. */
const FILLER = new Set(
  (
    'please pls plz thanks thank thx ty you u now ok okay sorry just all it again anymore ' +
    'ever hey hi hello really seriously asap immediately'
  ).split(' '),
);

/** Openings that keep a request a request: "no, stop", "I said stop", "can you stop texting me". */
const LEAD_INS = ['no', 'i said', 'can', 'could', 'would', 'will', 'i want to'].map((lead) =>
  lead.split(' '),
);

/**
 * Explicit ways of saying STOP, with apostrophes dropped ("don't" is "dont"). A phrase
 * opts out when the reply starts with it and only TAIL words follow.
 */
const PHRASES = [
  'unsubscribe',
  'opt out',
  'opt me out',
  'stop texting',
  'stop messaging',
  'stop sending',
  'stop contacting',
  'stop calling',
  'remove me',
  'take me off',
  'dont text',
  'do not text',
  'dont message',
  'do not message',
  'dont contact',
  'do not contact',
  'no more texts',
  'no more messages',
  'leave me alone',
  'lose my number',
  'delete my number',
].map((phrase) => phrase.split(' '));

/** What may follow a phrase: "remove me from your mailing list", "stop sending me messages". */
const TAIL = new Set(
  'me from off of your this the my list mailing contact contacts number texts text messages message sms'.split(
    ' ',
  ),
);

/**
 * The words of a text as a person reads them: compatibility forms folded (fullwidth ＳＴＯＰ,
 * no-break spaces), invisible format characters removed (zero-width spaces, bidi
 * controls, byte-order marks), lower case, apostrophes dropped, and punctuation, emoji
 * and symbols taken as spaces.
 */
function replyWords(body: string): string[] {
  return body
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .replace(/['‘’`´ʼ]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '' && !FILLER.has(word));
}

/**
 * Reads a reply for STOP, START and HELP. Opting out is read generously, since a missed
 * STOP keeps texting someone who asked not to be: a keyword alone or in polite filler
 * ("Stop please", "STOP!!! 🛑"), or an explicit phrase ("please stop texting me").
 * Opting back in is read narrowly: START or UNSTOP in filler, and YES only as the whole
 * text, as Twilio reads it, because "Yes please" is an everyday answer, not consent.
 */
export function readReply(body: string): Reading {
  if (body.trim().toLowerCase() === 'yes') return { keyword: 'opt_in', optOutHint: false };
  const words = replyWords(body);
  const keyword = readWords(words) ?? readWords(withoutLeadIn(words));
  return { keyword, optOutHint: keyword !== 'opt_out' && mentionsOptOut(words) };
}

function readWords(words: string[]): Keyword | null {
  if (words.length === 0) return null;
  const keyword = KEYWORDS.get(words[0]) ?? null;
  if (keyword && words.every((word) => word === words[0])) return keyword;
  const opts = PHRASES.some(
    (phrase) =>
      startsWith(words, phrase, 0) && words.slice(phrase.length).every((word) => TAIL.has(word)),
  );
  return opts ? 'opt_out' : null;
}

function withoutLeadIn(words: string[]): string[] {
  const leadIn = LEAD_INS.find((lead) => startsWith(words, lead, 0));
  return leadIn ? words.slice(leadIn.length) : [];
}

function mentionsOptOut(words: string[]): boolean {
  return (
    words.some((word) => KEYWORDS.get(word) === 'opt_out') ||
    PHRASES.some((phrase) => words.some((_, at) => startsWith(words, phrase, at)))
  );
}

function startsWith(words: string[], phrase: string[], at: number): boolean {
  return phrase.every((word, i) => words[at + i] === word);
}
