import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { MESSAGE_SID_PATTERN, MessagePage } from '../common/message';
import { readPage } from '../common/message-page';
import { InboxQueryDto } from './dto/inbox-query.dto';
import { InboxService } from './inbox.service';

@ApiTags('messages')
@Controller('sms')
export class InboxController {
  constructor(@Inject(InboxService) private readonly inbox: InboxService) {}

  /** Without `since`: the newest messages. With it: what came after, oldest first. */
  @Get('inbox')
  @ApiOperation({ summary: 'Inbound messages, oldest first; page with since=nextCursor' })
  @ApiOkResponse({ type: MessagePage })
  @ApiErrorResponses(400)
  list(@Query() query: InboxQueryDto): Promise<MessagePage> {
    return readPage(this.inbox, query, query.includeSuppressed ?? false, {
      listName: 'inbox',
      isCursor: (since) => MESSAGE_SID_PATTERN.test(since),
    });
  }
}
