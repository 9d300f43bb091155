/** One message as the API shows it, whichever way it went. */
export interface Message {
  sid: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  body: string;
  media: { url: string; contentType: string }[];
  status: string;
  createdAt: string;
}

/** A page of messages in time order; pass `nextCursor` back as `since` for what came after. */
export interface MessagePage {
  messages: Message[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** A Twilio message sid: SM (SMS) or MM (MMS) and 32 hex digits. */
export const MESSAGE_SID_PATTERN = /^(SM|MM)[0-9a-f]{32}$/;
