import { Controller, Get, Inject, Query } from '@nestjs/common';
import { AuditRecord, AuditRepository } from './audit.repository';
import { AuditQueryDto } from './dto/audit-query.dto';

const DEFAULT_LIMIT = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AuditPage {
  entries: AuditRecord[];
  /** More entries follow the last one: ask again with `since` set to its `at`. */
  hasMore: boolean;
}

/** The audit trail for the operator (`sms-bridge audit`); local-only like every unmarked route. */
@Controller('sms')
export class AuditController {
  constructor(@Inject(AuditRepository) private readonly audit: AuditRepository) {}

  @Get('audit')
  list(@Query() query: AuditQueryDto): AuditPage {
    const since = query.since
      ? new Date(query.since).toISOString()
      : new Date(Date.now() - DAY_MS).toISOString();
    const limit = query.limit ?? DEFAULT_LIMIT;
    // One more than asked says whether another page is waiting.
    const entries = this.audit.since(since, limit + 1);
    return { entries: entries.slice(0, limit), hasMore: entries.length > limit };
  }
}
