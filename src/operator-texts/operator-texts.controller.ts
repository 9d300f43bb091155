import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Kysely } from 'kysely';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { OperatorOnly } from '../safety/access/operator-only.decorator';
import { Store } from '../storage/store';
import { OperatorTextPageDto } from './dto/operator-text.dto';
import { OperatorTextsQueryDto } from './dto/operator-texts-query.dto';
import { OperatorTextsRepository } from './operator-texts.repository';

const DEFAULT_LIMIT = 50;

/**
 * The texts exchanged with the operator's phones, for the operator alone: even masked, they
 * say when and how the operator decides, which is none of the agent's business.
 */
@ApiTags('operator')
@Controller('sms/operator-texts')
export class OperatorTextsController {
  constructor(
    @Inject(OperatorTextsRepository) private readonly texts: OperatorTextsRepository,
    @Inject(Kysely) private readonly store: Store,
  ) {}

  @Get()
  @OperatorOnly()
  @ApiOperation({ summary: "Texts to and from the operator's phones, newest last, codes masked" })
  @ApiOkResponse({ type: OperatorTextPageDto })
  @ApiErrorResponses(400, 403)
  async list(@Query() query: OperatorTextsQueryDto): Promise<OperatorTextPageDto> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    // One more than asked says whether older texts are waiting.
    const texts = await this.texts.list(this.store, limit + 1, query.before);
    const page = texts.slice(-limit);
    return {
      texts: page,
      nextCursor: page[0]?.id ?? null,
      hasMore: texts.length > limit,
    };
  }
}
