import { simulatedSegments } from './simulated-segments';
import { newSid, twilioDate } from './twilio-http';

/** A message the simulator accepted, as Twilio's Messages API would return it. */
export interface SimulatedMessage {
  sid: string;
  accountSid: string;
  to: string;
  /** Null while a Messaging Service has not picked a number, as in Twilio's answer. */
  from: string | null;
  body: string;
  status: string;
  numSegments: number;
  dateCreated: Date;
  /** The MaxPrice the sender set, if any. */
  maxPrice?: string;
  messagingServiceSid: string | null;
  mediaUrls: string[];
  statusCallback: string | null;
}

/** How a message's delivery ends, as the status callbacks will report it. */
export interface DeliveryOutcome {
  status: 'delivered' | 'undelivered' | 'failed';
  errorCode?: number;
}

/** A Twilio error a test makes the Messages API answer for one recipient. */
export interface TwilioFailure {
  status: number;
  code: number;
  message: string;
}

/** A refusal of the Messages API: HTTP status, Twilio error code, message. */
export type TwilioRefusal = [status: number, code: number, message: string];

const TRIAL_PREFIX = 'Sent from your Twilio trial account - ';

/**
 * Twilio's documented magic numbers for test credentials
 * (https://www.twilio.com/docs/iam/test-credentials): each makes the Messages API fail
 * the way the real one does for such a recipient or sender.
 */
const MAGIC_TO: Record<string, [number, (to: string, from: string) => string]> = {
  '+15005550001': [21211, (to) => `The 'To' number ${to} is not a valid phone number.`],
  '+15005550002': [
    21612,
    (to, from) =>
      `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number: ${from} via SMS.`,
  ],
  '+15005550003': [
    21408,
    (to) =>
      `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`,
  ],
  '+15005550004': [21610, () => 'Attempt to send to unsubscribed recipient'],
  '+15005550009': [21614, (to) => `'To' number ${to} is not a valid mobile number`],
};
const MAGIC_FROM: Record<string, [number, (from: string) => string]> = {
  '+15005550001': [
    21212,
    (from) =>
      `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
  ],
  '+15005550007': [
    21606,
    (from) =>
      `The 'From' phone number provided (${from}) is not a valid, message-capable Twilio phone number for this destination.`,
  ],
};

/** A Messages API create (POST .../Messages.json): the message Twilio would accept, or its refusal. */
export function acceptMessage(
  form: URLSearchParams,
  accountSid: string,
  trial: { verifiedNumbers: string[] } | undefined,
  failures: Map<string, TwilioFailure>,
): SimulatedMessage | TwilioRefusal {
  const to = form.get('To');
  const from = form.get('From');
  const body = form.get('Body') ?? '';
  const mediaUrls = form.getAll('MediaUrl');
  const service = form.get('MessagingServiceSid');
  if (!to) return [400, 21604, "A 'To' phone number is required."];
  if (!from && !service) return [400, 21603, "A 'From' phone number is required."];
  if (service && !/^MG[0-9a-f]{32}$/.test(service)) {
    return [400, 21701, 'The Messaging Service Sid is invalid.'];
  }
  if (!body && mediaUrls.length === 0) return [400, 21602, 'Message body is required.'];
  const fromRule = from ? MAGIC_FROM[from] : undefined;
  if (from && fromRule) return [400, fromRule[0], fromRule[1](from)];
  const failure = failures.get(to);
  if (failure) return [failure.status, failure.code, failure.message];
  const toRule = MAGIC_TO[to];
  if (toRule) return [400, toRule[0], toRule[1](to, from ?? service!)];
  if (trial && !trial.verifiedNumbers.includes(to)) {
    return [
      400,
      21608,
      `The number ${to} is unverified. Trial accounts cannot send messages to unverified numbers; verify ${to} at twilio.com/user/account/phone-numbers/verified, or purchase a Twilio number to send messages to unverified numbers`,
    ];
  }
  const sentBody = trial ? TRIAL_PREFIX + body : body;
  return {
    sid: newSid(mediaUrls.length > 0 ? 'MM' : 'SM'),
    accountSid,
    to,
    from,
    body: sentBody,
    // A Messaging Service accepts first and queues once it has picked a sender.
    status: service ? 'accepted' : 'queued',
    numSegments: mediaUrls.length > 0 ? 1 : simulatedSegments(sentBody),
    dateCreated: new Date(),
    messagingServiceSid: service,
    mediaUrls,
    statusCallback: form.get('StatusCallback'),
    maxPrice: form.get('MaxPrice') ?? undefined,
  };
}

/** The statuses a message moves through after it was accepted, ending in `outcome`. */
export function deliverySteps(message: SimulatedMessage, outcome: DeliveryOutcome): string[] {
  const steps: string[] = message.status === 'accepted' ? ['queued'] : [];
  if (outcome.status !== 'failed') steps.push('sent');
  steps.push(outcome.status);
  return steps;
}

/** The Message resource in Twilio's JSON shape (snake_case, RFC 2822 dates). */
export function messageResource(message: SimulatedMessage) {
  const date = twilioDate(message.dateCreated);
  return {
    account_sid: message.accountSid,
    api_version: '2010-04-01',
    body: message.body,
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: String(message.mediaUrls.length),
    num_segments: String(message.numSegments),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: {
      media: `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}/Media.json`,
    },
    to: message.to,
    uri: `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}.json`,
  };
}
