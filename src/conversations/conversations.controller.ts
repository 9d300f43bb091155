import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { ConversationsService } from './conversations.service';
import { ConversationsQueryDto, ThreadQueryDto } from './dto/conversation-query.dto';
import { ConversationPageDto, ThreadDto } from './dto/conversation.dto';
import { E164Pipe } from './e164.pipe';

@ApiTags('messages')
@Controller('sms/conversations')
export class ConversationsController {
  constructor(@Inject(ConversationsService) private readonly conversations: ConversationsService) {}

  @Get()
  @ApiOperation({
    summary: 'One row per number texted with, newest first; page with before=nextCursor',
  })
  @ApiOkResponse({ type: ConversationPageDto })
  @ApiErrorResponses(400)
  list(@Query() query: ConversationsQueryDto): Promise<ConversationPageDto> {
    return this.conversations.list(query);
  }

  @Get(':number')
  @ApiOperation({
    summary:
      'The conversation with one number: both directions, oldest first, with delivery status and held messages; older pages with before=nextCursor',
  })
  @ApiParam({ name: 'number', example: '+15551234567', description: 'E.164 (%2B for the +)' })
  @ApiOkResponse({ type: ThreadDto })
  @ApiErrorResponses(400)
  thread(
    @Param('number', E164Pipe) number: string,
    @Query() query: ThreadQueryDto,
  ): Promise<ThreadDto> {
    return this.conversations.thread(number, query);
  }
}
