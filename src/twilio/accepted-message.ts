/**
 * What Twilio answered for a message it accepted. Apart from the client, so that the doors
 * can store the answer without importing what sends (only sending/ may).
 */
export interface AcceptedMessage {
  sid: string;
  status: string;
  to: string;
  /** The sending number, or the Messaging Service sid until Twilio has picked a number. */
  from: string;
  /** Twilio's num_segments. */
  segments: number;
  messagingServiceSid: string | null;
  createdAt: string;
}
