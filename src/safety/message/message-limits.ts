/** Twilio's own ceiling for one message body, in UTF-16 code units. */
export const MAX_BODY_LENGTH = 1600;
/** Twilio takes at most 10 media items per message. */
export const MAX_MEDIA_URLS = 10;
/** Twilio's limit on one MediaUrl. */
export const MAX_MEDIA_URL_LENGTH = 2048;
/** The longest field of any message request besides body and media (an approval's reason). */
export const MAX_REASON_LENGTH = 500;

/**
 * The largest JSON body a valid message request can be, so the body cap never refuses one
 * the rules accept: every character of every field may arrive escaped as \uXXXX (6 bytes),
 * plus room for the keys, the number, a sendAt and punctuation.
 */
export const MAX_MESSAGE_JSON_BYTES =
  6 * (MAX_BODY_LENGTH + MAX_MEDIA_URLS * MAX_MEDIA_URL_LENGTH + MAX_REASON_LENGTH) + 4096;
