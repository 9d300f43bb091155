/** Twilio's own ceiling for one message body, in UTF-16 code units. */
export const MAX_BODY_LENGTH = 1600;
/** Twilio takes at most 10 media items per message. */
export const MAX_MEDIA_URLS = 10;
/** Twilio's limit on one MediaUrl. */
export const MAX_MEDIA_URL_LENGTH = 2048;
/** Past 10 segments carriers may drop or mangle a message; Twilio advises against it. */
export const MAX_SEGMENTS = 10;
/** The longest field of any message request besides body and media (an approval's reason). */
export const MAX_REASON_LENGTH = 500;

/** The Idempotency-Key header's longest value. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** What an Idempotency-Key may hold: printable ASCII, one character or more. */
export const IDEMPOTENCY_KEY_CHARACTERS = /^[\x20-\x7e]+$/;
/** How long an Idempotency-Key is kept: a repeat after that is a new request. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 3_600_000;
/** What an Idempotency-Key may be, in words: for the refusal and the MCP tool alike. */
export const IDEMPOTENCY_KEY_RULE = `1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, such as a UUID`;

/**
 * The largest JSON body a valid message request can be, so the body cap never refuses one
 * the rules accept: every character of every field may arrive as a 6-byte \u escape,
 * plus room for the keys, the number, a sendAt and punctuation.
 */
export const MAX_MESSAGE_JSON_BYTES =
  6 * (MAX_BODY_LENGTH + MAX_MEDIA_URLS * MAX_MEDIA_URL_LENGTH + MAX_REASON_LENGTH) + 4096;
