import { MAX_BODY_LENGTH } from './message-limits';

// Controls (NUL, ESC, BEL...) are never meant, and bidi overrides and isolates can make a
// text read other than it is (Trojan Source, CVE-2021-42574). Tab, newline and the
// RLM/LRM marks pass.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_BIDI = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;
// Half a surrogate pair is not text: Twilio would send it as U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a message body, in words for the agent; null when it may be sent. */
export function smsBodyProblem(body: unknown): string | null {
  if (typeof body !== 'string') return 'body must be a string';
  if (body.length < 1 || body.length > MAX_BODY_LENGTH) {
    return `body must be 1 to ${MAX_BODY_LENGTH} characters`;
  }
  if (!/\S/.test(body)) return 'body must not be only whitespace';
  if (CONTROL_OR_BIDI.test(body))
    return 'body must not contain control or bidi override characters';
  if (LONE_SURROGATE.test(body)) {
    return 'body must not contain a lone surrogate (half of an emoji or other broken Unicode)';
  }
  return null;
}
