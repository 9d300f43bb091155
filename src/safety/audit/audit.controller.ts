import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/api-error-response.dto';
import { AuditService } from './audit.service';
import { AuditPageDto } from './dto/audit-page.dto';
import { AuditQueryDto } from './dto/audit-query.dto';

const DEFAULT_LIMIT = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The audit trail for the operator (`sms-bridge audit`); local-only like every unmarked route. */
@ApiTags('audit')
@Controller('sms')
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get('audit')
  @ApiOperation({
    summary: 'The audit trail, oldest first (default the last 24 h); page with after=nextCursor',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrorResponses(400)
  async list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    // The last 24 hours by default; a cursor alone reaches back as far as it points.
    const since = query.since
      ? new Date(query.since).toISOString()
      : query.after === undefined
        ? new Date(Date.now() - DAY_MS).toISOString()
        : '';
    const limit = query.limit ?? DEFAULT_LIMIT;
    // One more than asked says whether another page is waiting.
    const entries = await this.audit.page(query.after ?? 0, since, limit + 1);
    const page = entries.slice(0, limit);
    return {
      entries: page,
      nextCursor: page.at(-1)?.id ?? query.after ?? null,
      hasMore: entries.length > limit,
    };
  }
}
