import { twilioDate, type SimulatedAccount } from './twilio-http';

/** The Account resource (https://www.twilio.com/docs/iam/api/account): a trial or a full account. */
export function accountResource(account: SimulatedAccount, trial: boolean) {
  const sid = account.accountSid;
  return {
    sid,
    owner_account_sid: sid,
    friendly_name: 'Simulated account',
    status: 'active',
    type: trial ? 'Trial' : 'Full',
    // Twilio does return the token here: the bridge must keep it out of everything it shows.
    auth_token: account.authToken,
    date_created: twilioDate(new Date(0)),
    date_updated: twilioDate(new Date(0)),
    uri: `/2010-04-01/Accounts/${sid}.json`,
    subresource_uris: {},
  };
}

/** One page of IncomingPhoneNumbers (https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource). */
export function incomingPhoneNumbersPage(
  accountSid: string,
  numbers: Map<string, string | null>,
  path: string,
  wanted: string | null,
) {
  const listed = [...numbers.entries()].filter(([number]) => wanted === null || number === wanted);
  return {
    incoming_phone_numbers: listed.map(([number, smsUrl], index) => ({
      sid: `PN${index.toString(16).padStart(32, '0')}`,
      account_sid: accountSid,
      phone_number: number,
      friendly_name: number,
      sms_url: smsUrl,
      sms_method: 'POST',
      capabilities: { sms: true, mms: true, voice: true },
      uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/PN${index}.json`,
    })),
    page: 0,
    page_size: 50,
    start: 0,
    end: Math.max(0, listed.length - 1),
    first_page_uri: path,
    next_page_uri: null,
    previous_page_uri: null,
    uri: path,
  };
}

/** A Messaging Service (https://www.twilio.com/docs/messaging/api/service-resource). */
export function messagingServiceResource(
  accountSid: string,
  sid: string,
  service: { inboundRequestUrl: string | null; useInboundWebhookOnNumber: boolean },
  path: string,
) {
  return {
    sid,
    account_sid: accountSid,
    friendly_name: 'Simulated service',
    inbound_request_url: service.inboundRequestUrl,
    inbound_method: 'POST',
    use_inbound_webhook_on_number: service.useInboundWebhookOnNumber,
    url: `https://messaging.twilio.com${path}`,
  };
}
