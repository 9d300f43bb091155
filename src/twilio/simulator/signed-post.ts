import { getExpectedTwilioSignature } from 'twilio';

export type FormParams = Record<string, string | string[]>;

export interface SignedPost {
  /** Where the request goes. */
  url: string;
  /** The URL Twilio was given and signs; differs from `url` behind a proxy. */
  signedUrl: string;
  params: FormParams;
  authToken: string;
  headers?: Record<string, string>;
}

/** Posts a form the way Twilio calls a webhook: form-encoded and signed with the auth token. */
export async function postSigned(
  post: SignedPost,
): Promise<{ status: number; body: string; signature: string }> {
  const signature = getExpectedTwilioSignature(post.authToken, post.signedUrl, post.params);
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(post.params)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(key, item);
  }
  const response = await fetch(post.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': signature,
      'User-Agent': 'TwilioProxy/1.1',
      ...post.headers,
    },
    body: form.toString(),
  });
  return { status: response.status, body: await response.text(), signature };
}
