import type { DeliveryOutcome, SimulatedMessage, TwilioFailure } from './messages.resource';

/**
 * How the Messages API misbehaves, for fault tests: answer 500, never answer, or drop
 * the connection without a word. null is a healthy Twilio.
 */
export type SimulatorFault = 'error500' | 'hang' | 'drop' | null;

/** What a test may turn on the simulator, all in one place; a new simulator is a healthy Twilio. */
export interface SimulatorKnobs {
  fault: SimulatorFault;
  /** Twilio errors to answer for sends to a number, for codes no magic number triggers. */
  failures: Map<string, TwilioFailure>;
  /** How long the Messages API takes to answer, to make requests overlap. */
  responseDelayMs: number;
  /**
   * How each accepted message's delivery ends: one outcome for all, or per message.
   * Null: no callbacks at all, for a test that posts its own with sendStatusCallback.
   */
  deliveryOutcome: DeliveryOutcome | null | ((message: SimulatedMessage) => DeliveryOutcome | null);
  /**
   * Where callbacks for public URLs really go, as Caddy in front of the bridge would
   * forward them: the path is kept, the public URL is what gets signed.
   */
  callbackOrigin?: string;
  /** Pause before each callback, as Twilio's come after its API answered. */
  callbackDelayMs: number;
  /**
   * The account's phone numbers and where each one's "A message comes in" webhook points
   * (SmsUrl; null when unset), as IncomingPhoneNumbers lists them.
   */
  incomingPhoneNumbers: Map<string, string | null>;
  /** The account's Messaging Services: their inbound request URL, or the number's webhook. */
  messagingServices: Map<
    string,
    { inboundRequestUrl: string | null; useInboundWebhookOnNumber: boolean }
  >;
}

export function healthyTwilio(): SimulatorKnobs {
  return {
    fault: null,
    failures: new Map(),
    responseDelayMs: 0,
    deliveryOutcome: { status: 'delivered' },
    callbackDelayMs: 5,
    incomingPhoneNumbers: new Map(),
    messagingServices: new Map(),
  };
}
