import { Agent } from 'node:http';
import type Response from 'twilio/lib/http/response';
import RequestClient from 'twilio/lib/base/RequestClient';

/**
 * The SDK's own HTTP client, sending to another Twilio-compatible origin
 * (the simulator). Swapping the client is the SDK's documented extension
 * point, so the rest of the SDK (auth, form encoding, errors) runs unchanged.
 */
export class BaseUrlRequestClient extends RequestClient {
  private readonly base: URL;

  constructor(baseUrl: string, options: RequestClient.RequestClientOptions) {
    super(options);
    this.base = new URL(baseUrl);
    // RequestClient configures only an https agent; keep http connections alive too.
    this.axios.defaults.httpAgent = new Agent({ keepAlive: options.keepAlive !== false });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const original = new URL(opts.uri);
    const uri = new URL(
      this.base.pathname.replace(/\/$/, '') + original.pathname + original.search,
      this.base,
    );
    return super.request({ ...opts, uri: uri.toString() });
  }
}
