import { MAX_BODY_LENGTH, MAX_REASON_LENGTH } from './message-limits';

// Controls (NUL, ESC, BEL...) are never meant, and bidi overrides and isolates can make a
// text read other than it is (Trojan Source, CVE-2021-42574). Tab and newline pass.
const CONTROL_OR_BIDI =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
/**
 * Characters a phone shows as nothing, so that what the operator reads is not what is sent:
 * 80 zero-width spaces push a link past a preview, tag characters (U+E0000-E007F) and
 * variation selectors carry hidden text ("ASCII smuggling"). Soft hyphen, combining
 * grapheme joiner, the Arabic letter mark and LRM/RLM, Hangul and Khmer fillers, Mongolian
 * selectors, zero-width space, non-joiner and joiner, word joiner and invisible operators,
 * deprecated format controls, BOM, interlinear annotation, and the variation selectors
 * (supplement included). Refused rather than escaped: nothing legitimate needs them in a
 * text, and a refusal is the same at every door. What emoji need is taken out first.
 */
const INVISIBLE =
  // Each combining mark and selector is listed alone on purpose, to find it wherever it is.
  // eslint-disable-next-line no-misleading-character-class
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u2060-\u2064\u206A-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/u;
/**
 * The invisible characters emoji are made of, where they make an emoji: one text or emoji
 * presentation selector (U+FE0E, U+FE0F) after a visible character, and a joiner between
 * two pictographs (👩‍💻, 🏳️‍🌈). A run of them, or one anywhere else, stays refused.
 */
const EMOJI_PART =
  // eslint-disable-next-line no-misleading-character-class
  /(?<=[^\uFE00-\uFE0F])[\uFE0E\uFE0F]|(?<=\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})/gu;
// Half a surrogate pair is not text: Twilio would send it as U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What is wrong with a text the operator or a recipient will read (a body, an approval's
 * reason), in words for the agent; null when it may be sent.
 */
function textProblem(field: string, text: unknown, maxLength: number): string | null {
  if (typeof text !== 'string') return `${field} must be a string`;
  if (text.length < 1 || text.length > maxLength) {
    return `${field} must be 1 to ${maxLength} characters`;
  }
  if (!/\S/.test(text)) return `${field} must not be only whitespace`;
  if (CONTROL_OR_BIDI.test(text)) {
    return `${field} must not contain control or bidi override characters`;
  }
  if (INVISIBLE.test(text.replace(EMOJI_PART, ''))) {
    return `${field} must not contain invisible characters (zero-width, joiners, BOM, bidi marks, tag characters, variation selectors)`;
  }
  if (LONE_SURROGATE.test(text)) {
    return `${field} must not contain a lone surrogate (half of an emoji or other broken Unicode)`;
  }
  return null;
}

/** What is wrong with a message body; null when it may be sent. */
export function smsBodyProblem(body: unknown): string | null {
  return textProblem('body', body, MAX_BODY_LENGTH);
}

/** An approval's reason, which the operator reads on the phone: the body's character rules. */
export function smsReasonProblem(reason: unknown): string | null {
  return textProblem('reason', reason, MAX_REASON_LENGTH);
}
