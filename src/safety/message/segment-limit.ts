import { ApiError } from '../../common/api-error';
import { countSegments, Encoding } from '../../common/segments';
import { MAX_SEGMENTS } from './message-limits';

export interface BodyMeasure {
  segments: number;
  encoding: Encoding;
}

/**
 * The body's cost, refusing one over MAX_SEGMENTS before anything is recorded or sent.
 * An MMS is one message whatever its text, so it counts as one segment.
 */
export function measureBody(body: string, hasMedia: boolean): BodyMeasure {
  const { segments, encoding } = countSegments(body);
  if (hasMedia) return { segments: 1, encoding };
  if (segments > MAX_SEGMENTS) {
    throw new ApiError(
      'body_too_long',
      `The body needs ${segments} SMS segments (${encoding}); at most ${MAX_SEGMENTS} are allowed. Shorten it${encoding === 'UCS-2' ? ' or replace the characters that force UCS-2 (emoji, curly quotes)' : ''}.`,
      { segments, maxSegments: MAX_SEGMENTS, encoding },
    );
  }
  return { segments, encoding };
}
