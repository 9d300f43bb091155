import type { Message, MessagePage } from '../common/message';

/*
 * What the bridge's routes answer, as its local clients read them. The bridge's DTOs are the
 * source (see the OpenAPI document); these name the fields a client acts on and keep the rest
 * for `--json` and an agent's structuredContent.
 */
type Json = Record<string, unknown>;

export type Readiness = Json & { status: string; mode: string; checks: Json };

export type MessageList = MessagePage & Json;

export type Conversation = Json & {
  messages: Json[];
  hasMore: boolean;
  nextCursor: string | null;
};

export type ListPage = Json & { hasMore?: boolean; nextCursor?: string | number | null };

/** POST /sms/send: sent now, held for the operator, or scheduled for later. */
export type SendAnswer = Json &
  (
    | { status: 'awaiting_approval'; approvalId: string; to: string }
    | { status: 'scheduled'; id: string; sendAt: string; to: string; reason?: 'quiet_hours' }
    | { status: string; sid: string; to: string }
  );

export type ApprovalAnswer = Json & { approval: Json & { id: string; status: string } };

export type Limits = Json & {
  resetsAt?: string;
  total?: { limit?: number; remaining?: number };
  perRecipient?: { limit?: number; to?: string; remaining?: number };
};

export type MessageStatus = Message & Json;

/** What lifting a halted push answers: the halt it lifted, if there was one. */
export type ForwardRetry = Json & { lifted: { since: string; reason: string } | null };

export interface SendRequest {
  to: string;
  body?: string;
  mediaUrl?: string[];
  sendAt?: string;
  idempotencyKey?: string;
}
