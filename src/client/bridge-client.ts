import type {
  ApprovalAnswer,
  Conversation,
  ForwardRetry,
  Limits,
  ListPage,
  MessageList,
  MessageStatus,
  Readiness,
  SendAnswer,
  SendRequest,
} from './bridge-answers';
import { BridgeTransport } from './bridge-transport';

type Json = Record<string, unknown>;
type Query = Record<string, string | number | undefined>;

const segment = (value: string) => encodeURIComponent(value);

/**
 * The bridge's local HTTP API, one method per route its local clients (the operator CLI,
 * the MCP server) use. Going through the API, not the services, is the point: the loopback
 * guard, approvals, limits, opt-outs and audit apply to these calls exactly as to a curl.
 * Every refusal is a BridgeError carrying the catalogue's code.
 */
export class BridgeClient {
  private constructor(
    private readonly transport: BridgeTransport,
    /** The operator's Authorization, sent only over the operator socket. */
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The local API over TCP: everything but the operator's decisions. */
  static at(baseUrl: string): BridgeClient {
    return new BridgeClient(new BridgeTransport(baseUrl));
  }

  /** The operator socket with the operator token: the decisions, the backup. */
  static operator(socketPath: string, token: string): BridgeClient {
    return new BridgeClient(BridgeTransport.overSocket(socketPath), {
      Authorization: `Bearer ${token}`,
    });
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  /** GET /health/ready; `ready` is false on its 503, which is an answer, not a refusal. */
  async readiness(): Promise<{ ready: boolean; answer: Readiness }> {
    const { status, body } = await this.get<Readiness>('/health/ready', {}, [503]);
    return { ready: status === 200, answer: body };
  }

  inbox(query: { since?: string; limit?: string | number }): Promise<MessageList> {
    return this.body<MessageList>('GET', '/sms/inbox', query);
  }

  outbox(query: {
    since?: string;
    limit?: string | number;
    status?: string;
    to?: string;
  }): Promise<MessageList> {
    return this.body<MessageList>('GET', '/sms/outbox', query);
  }

  conversation(
    number: string,
    query: { before?: string; limit?: string | number },
  ): Promise<Conversation> {
    return this.body<Conversation>('GET', `/sms/conversations/${segment(number)}`, query);
  }

  message(sid: string): Promise<MessageStatus> {
    return this.body<MessageStatus>('GET', `/sms/messages/${segment(sid)}`);
  }

  send({ idempotencyKey, ...message }: SendRequest): Promise<SendAnswer> {
    return this.body<SendAnswer>('POST', '/sms/send', {}, message, {
      ...(idempotencyKey === undefined ? {} : { 'Idempotency-Key': idempotencyKey }),
    });
  }

  contacts(): Promise<ListPage> {
    return this.body<ListPage>('GET', '/sms/contacts');
  }

  /** The operator's: sends to the number are no longer held. */
  approveNumber(number: string): Promise<Json> {
    return this.body('POST', '/sms/contacts', {}, { number });
  }

  approvals(query: { status?: string }): Promise<ListPage> {
    return this.body<ListPage>('GET', '/sms/approvals', query);
  }

  /** One approval whole: the body, media and reason a phone notification may only begin. */
  approval(id: string): Promise<ApprovalAnswer> {
    return this.body<ApprovalAnswer>('GET', `/sms/approvals/${segment(id)}`);
  }

  requestApproval(request: { to: string; reason: string; body?: string }): Promise<ApprovalAnswer> {
    return this.body<ApprovalAnswer>('POST', '/sms/approvals', {}, request);
  }

  /** The operator's decision on a held message or request. */
  decide(id: string, decision: 'approve' | 'deny'): Promise<Json> {
    return this.body('POST', `/sms/approvals/${segment(id)}/${decision}`);
  }

  scheduled(query: { status?: string }): Promise<ListPage> {
    return this.body<ListPage>('GET', '/sms/scheduled', query);
  }

  cancelScheduled(id: string): Promise<Json> {
    return this.body('DELETE', `/sms/scheduled/${segment(id)}`);
  }

  operatorTexts(query: { before?: string; limit?: string | number }): Promise<ListPage> {
    return this.body<ListPage>('GET', '/sms/operator-texts', query);
  }

  audit(query: { since?: string; after?: string; limit?: string | number }): Promise<ListPage> {
    return this.body<ListPage>('GET', '/sms/audit', query);
  }

  limits(query: { to?: string } = {}): Promise<Limits> {
    return this.body<Limits>('GET', '/sms/limits', query);
  }

  /** The operator's: push to the agent hook again after fixing what halted it. */
  retryForward(): Promise<ForwardRetry> {
    return this.body<ForwardRetry>('POST', '/sms/forward/retry');
  }

  /** The operator's: a consistent copy of the live database, into `file`; its size. */
  backup(file: string): Promise<number> {
    return this.transport.download('/sms/backup', file, this.headers);
  }

  private get<T>(path: string, query: Query, answers: number[]) {
    return this.transport.request<T>('GET', path, { query, headers: this.headers, answers });
  }

  private async body<T = Json>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    query: Query = {},
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const reply = await this.transport.request<T>(method, path, {
      query,
      body,
      headers: { ...this.headers, ...headers },
    });
    return reply.body;
  }
}
