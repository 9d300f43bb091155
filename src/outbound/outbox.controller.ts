import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiError } from '../common/api-error';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { Message, MESSAGE_SID_PATTERN, MessagePage } from '../common/message';
import { readPage } from '../common/message-page';
import { InboxService } from '../inbox/inbox.service';
import { OutboxQueryDto } from './dto/outbox-query.dto';
import { OutboxService } from './outbox.service';

/** The bridge's own id of a message Twilio never accepted (randomUUID). */
const LOCAL_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

@ApiTags('messages')
@Controller('sms')
export class OutboxController {
  constructor(
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(InboxService) private readonly inbox: InboxService,
  ) {}

  @Get('outbox')
  @ApiOperation({
    summary: 'Sent messages with their delivery status, oldest first; page with since=nextCursor',
  })
  @ApiOkResponse({ type: MessagePage })
  @ApiErrorResponses(400)
  list(@Query() query: OutboxQueryDto): Promise<MessagePage> {
    return readPage(
      this.outbox,
      query,
      { status: query.status, to: query.to },
      {
        listName: 'outbox',
        isCursor: (since) => MESSAGE_SID_PATTERN.test(since) || LOCAL_ID_PATTERN.test(since),
      },
    );
  }

  @Get('messages/:sid')
  @ApiOperation({ summary: 'One message, sent or received, with its status history' })
  @ApiParam({ name: 'sid', example: 'SM0123456789abcdef0123456789abcdef' })
  @ApiOkResponse({ type: Message })
  @ApiErrorResponses(404)
  async find(@Param('sid') sid: string): Promise<Message> {
    const message = (await this.outbox.find(sid)) ?? (await this.inbox.find(sid));
    if (!message) {
      throw new ApiError('message_not_found', `No message ${sid} was sent or received here.`);
    }
    return message;
  }
}
