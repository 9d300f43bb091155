import { Controller, Get, Inject, Query } from '@nestjs/common';
import { AuditRecord, AuditRepository } from './audit.repository';
import { AuditQueryDto } from './dto/audit-query.dto';

const DEFAULT_LIMIT = 100;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AuditPage {
  entries: AuditRecord[];
  /**
   * The last entry's id (or the `after` asked with, for an empty page): pass it as `after`
   * for the next page. Entries are ordered by id, so none repeats or is skipped, even when
   * many share a millisecond.
   */
  nextCursor: number | null;
  hasMore: boolean;
}

/** The audit trail for the operator (`sms-bridge audit`); local-only like every unmarked route. */
@Controller('sms')
export class AuditController {
  constructor(@Inject(AuditRepository) private readonly audit: AuditRepository) {}

  @Get('audit')
  list(@Query() query: AuditQueryDto): AuditPage {
    // The last 24 hours by default; a cursor alone reaches back as far as it points.
    const since = query.since
      ? new Date(query.since).toISOString()
      : query.after === undefined
        ? new Date(Date.now() - DAY_MS).toISOString()
        : '';
    const limit = query.limit ?? DEFAULT_LIMIT;
    // One more than asked says whether another page is waiting.
    const entries = this.audit.page(query.after ?? 0, since, limit + 1);
    const page = entries.slice(0, limit);
    return {
      entries: page,
      nextCursor: page.at(-1)?.id ?? query.after ?? null,
      hasMore: entries.length > limit,
    };
  }
}
