import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { Correspondent, ThreadBound, ThreadEntry } from '../common/message';
import { readIsoTime } from '../common/message-page';
import { AppConfig } from '../config/app-config';
import { InboxService } from '../inbox/inbox.service';
import { OutboxService } from '../outbound/outbox.service';
import { Approval, ApprovalsService } from '../safety/approvals/approvals.service';
import { ContactsService } from '../safety/approvals/contacts.service';
import { ScheduledSendDto } from '../schedule/dto/scheduled-send.dto';
import { ScheduleService } from '../schedule/schedule.service';
import {
  ConversationDto,
  ConversationMessageDto,
  ConversationPageDto,
  ThreadDto,
} from './dto/conversation.dto';

const LIST_LIMIT = 100;
const THREAD_LIMIT = 50;

/**
 * Where a message sits in a conversation: time, then inbound before outbound before held
 * before scheduled at the same instant, then its row number. Pages are cut on this order, so none repeats
 * or is skipped, even when several share a millisecond.
 */
interface Position {
  at: string;
  rank: number;
  seq: number;
}
const INBOUND = 0;
const OUTBOUND = 1;
const HELD = 2;
const SCHEDULED = 3;

type Placed = { message: ConversationMessageDto } & Position;

function compare(a: Position, b: Position): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.rank - b.rank || a.seq - b.seq;
}

/** What one table's rows must be below to come before `position`. */
function boundFor(rank: number, position: Position | null): ThreadBound | null {
  if (!position) return null;
  const seq = rank < position.rank ? Infinity : rank === position.rank ? position.seq : 0;
  return { at: position.at, seq };
}

/**
 * The conversation with each number, both directions in one list: asked of the inbox and
 * the outbound module (and of approvals and the schedule, for what is held or waits for
 * its time) through their methods.
 */
@Injectable()
export class ConversationsService {
  constructor(
    @Inject(InboxService) private readonly inbox: InboxService,
    @Inject(OutboxService) private readonly outbound: OutboxService,
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(ContactsService) private readonly contacts: ContactsService,
    @Inject(ScheduleService) private readonly schedule: ScheduleService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async list(query: { before?: string; limit?: number }): Promise<ConversationPageDto> {
    const limit = query.limit ?? LIST_LIMIT;
    const [contacts, inbound, outbound] = await Promise.all([
      this.contacts.list(),
      this.inbox.correspondents(),
      this.outbound.correspondents(),
    ]);
    const states = new Map(contacts.map((c) => [c.number, c.state]));
    const byNumber = new Map<string, ConversationDto>();
    const add = (side: Correspondent, direction: 'inbound' | 'outbound') => {
      const row = byNumber.get(side.number) ?? {
        number: side.number,
        contactState: states.get(side.number) ?? null,
        lastMessage: { direction, body: '', at: '', status: '' },
        inboundCount: 0,
        outboundCount: 0,
        lastInboundAt: null,
      };
      const last = side.last;
      if (direction === 'inbound') {
        row.inboundCount = side.count;
        row.lastInboundAt = last.createdAt;
      } else {
        row.outboundCount = side.count;
      }
      if (last.createdAt >= row.lastMessage.at) {
        row.lastMessage = { direction, body: last.body, at: last.createdAt, status: last.status };
      }
      byNumber.set(side.number, row);
    };
    for (const side of inbound) add(side, 'inbound');
    for (const side of outbound) add(side, 'outbound');
    const all = [...byNumber.values()].sort(
      (a, b) =>
        b.lastMessage.at.localeCompare(a.lastMessage.at) || a.number.localeCompare(b.number),
    );
    let start = 0;
    if (query.before !== undefined) {
      start = all.findIndex((row) => row.number === query.before) + 1;
      if (start === 0) {
        throw new ApiError('invalid_before', 'before names no conversation on the list.', {
          before: query.before,
        });
      }
    }
    const page = all.slice(start, start + limit);
    return {
      conversations: page,
      nextCursor: page.at(-1)?.number ?? query.before ?? null,
      hasMore: start + limit < all.length,
    };
  }

  async thread(
    number: string,
    query: { before?: string; limit?: number; includeSuppressed?: boolean },
  ): Promise<ThreadDto> {
    const limit = query.limit ?? THREAD_LIMIT;
    const before = query.before === undefined ? null : await this.position(number, query.before);
    // Each source gives its newest limit + 1 before the cursor; the newest of all of them
    // make the page, and one more says whether older ones are waiting.
    const fetch = limit + 1;
    const [inbound, outbound, held, waiting, contact] = await Promise.all([
      this.inbox.thread(number, boundFor(INBOUND, before), fetch, query.includeSuppressed),
      this.outbound.thread(number, boundFor(OUTBOUND, before), fetch),
      this.held(number),
      this.waiting(number),
      this.contacts.get(number),
    ]);
    const placed: Placed[] = [
      ...inbound.map((entry) => place(entry, INBOUND)),
      ...outbound.map((entry) => place(entry, OUTBOUND)),
      ...[...held, ...waiting].filter((entry) => !before || compare(entry, before) < 0),
    ].sort(compare);
    const page = placed.slice(-limit);
    return {
      number,
      contactState: contact?.state ?? null,
      messages: page.map((entry) => entry.message),
      nextCursor: page[0]?.message.sid ?? query.before ?? null,
      hasMore: placed.length > limit,
    };
  }

  private async held(number: string): Promise<Placed[]> {
    return (await this.approvals.pendingTo(number))
      .filter((approval) => approval.body !== null)
      .map((approval) => ({
        message: this.heldMessage(approval),
        at: approval.createdAt,
        rank: HELD,
        seq: 0,
      }));
  }

  /** Sends for later that wait for their time, placed where they were asked for. */
  private async waiting(number: string): Promise<Placed[]> {
    return (await this.schedule.waitingTo(number)).map((send) => ({
      message: this.scheduledMessage(send),
      at: send.createdAt,
      rank: SCHEDULED,
      seq: 0,
    }));
  }

  private scheduledMessage(send: ScheduledSendDto): ConversationMessageDto {
    return {
      sid: send.id,
      direction: 'outbound',
      from: this.from,
      to: send.to,
      body: send.body,
      media: send.mediaUrl.map((url) => ({ url, contentType: null })),
      status: 'scheduled',
      createdAt: send.createdAt,
      sendAt: send.sendAt,
    };
  }

  private get from(): string {
    return this.config.sender.phoneNumber ?? this.config.sender.messagingServiceSid ?? '';
  }

  private heldMessage(approval: Approval): ConversationMessageDto {
    return {
      sid: approval.id,
      direction: 'outbound',
      from: this.from,
      to: approval.to,
      body: approval.body ?? '',
      media: approval.mediaUrl.map((url) => ({ url, contentType: null })),
      status: 'held',
      createdAt: approval.createdAt,
      approvalId: approval.id,
    };
  }

  /** The cursor: a message of this conversation (either way, or held) or a time. */
  private async position(number: string, before: string): Promise<Position> {
    const time = readIsoTime(before);
    if (time !== null) return { at: time, rank: -1, seq: 0 };
    const inbound = await this.inbox.positionOf(before);
    if (inbound?.number === number) return { at: inbound.at, rank: INBOUND, seq: inbound.seq };
    const outbound = await this.outbound.positionOf(before);
    if (outbound?.number === number) {
      return { at: outbound.at, rank: OUTBOUND, seq: outbound.seq };
    }
    const held = await this.approvals.get(before);
    if (held?.to === number) return { at: held.createdAt, rank: HELD, seq: 0 };
    const waiting = await this.schedule.find(before);
    if (waiting?.to === number) return { at: waiting.createdAt, rank: SCHEDULED, seq: 0 };
    throw new ApiError(
      'invalid_before',
      'before must be an ISO-8601 time (2026-01-31T12:00:00Z) or the sid of a message of this conversation.',
      { before },
    );
  }
}

function place(entry: ThreadEntry, rank: number): Placed {
  return { message: entry.message, at: entry.at, rank, seq: entry.seq };
}
