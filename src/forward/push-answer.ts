import type { ForwardFormat } from '../config/app-config';
import { neutraliseLine } from '../common/untrusted-text';
import type { PostAnswer } from './post-json';

export type PushVerdict =
  | { kind: 'delivered' }
  /** Worth trying again; not before `retryAfterMs` from now when the hook said so. */
  | { kind: 'retry'; why: string; retryAfterMs?: number }
  /** Retrying cannot help until a setting changes: pushing halts. */
  | { kind: 'misconfigured'; why: string };

// What OpenClaw's Gateway answers a request it will never take as sent
// (docs/gateway/config-hooks.md, "Hook HTTP contract"), and what to change for each.
const OPENCLAW_FIX: Record<number, string> = {
  400: 'check SMS_OPENCLAW_AGENT_ID against hooks.allowedAgentIds and, with SMS_OPENCLAW_SESSION_PREFIX, set hooks.allowRequestSessionKey: true and list the prefix in hooks.allowedSessionKeyPrefixes',
  401: "set SMS_FORWARD_SECRET to the Gateway's hooks.token",
  403: "check the Gateway's hooks policy for this agent",
  404: 'check that hooks.enabled is true and that SMS_FORWARD_URL is the Gateway hooks.path followed by /agent',
  413: "the text is over the hook's body limit",
};

/** The receiver's own words, one line, bounded: OpenClaw's `{ok:false,error}` or its plain text. */
function answerText(text: string): string {
  let words = text;
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') words = parsed.error;
  } catch {
    // Early refusals (401, 404) are plain text.
  }
  return neutraliseLine(words.trim()).slice(0, 300);
}

/** Retry-After in delta-seconds or as an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - nowMs;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** What an answer means for the push: done, try again, or halt until the operator fixes a setting. */
export function judgeAnswer(format: ForwardFormat, answer: PostAnswer, nowMs: number): PushVerdict {
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const said = answerText(answer.text);
  const why = `the hook answered HTTP ${status}${said ? ` (${said})` : ''}`;
  const fix = format === 'openclaw' ? OPENCLAW_FIX[status] : undefined;
  if (fix !== undefined) return { kind: 'misconfigured', why: `${why}: ${fix}` };
  return { kind: 'retry', why, retryAfterMs: retryAfterMs(answer.retryAfter, nowMs) };
}
