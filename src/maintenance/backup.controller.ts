import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Controller, HttpCode, Inject, Post, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { Audited } from '../safety/audit/audited.decorator';
import { OperatorOnly } from '../safety/access/operator-only.decorator';
import { SqliteFile } from '../storage/sqlite-file';

/**
 * `sms-bridge backup FILE`: the bridge copies its live database with SQLite's online backup
 * API (consistent while webhooks keep writing) and streams the copy back. The service user
 * does the copying, so the operator needs no access to the state directory, and no caller
 * can make the bridge write to a path of its choosing.
 */
@ApiTags('maintenance')
@Controller('sms')
export class BackupController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    /** Null on PostgreSQL. */
    @Inject(SqliteFile) private readonly file: SqliteFile | null,
  ) {}

  @Post('backup')
  @HttpCode(200)
  @Audited('backup')
  @OperatorOnly()
  @ApiOperation({
    summary: 'The operator takes a consistent copy of the live database (operator token)',
  })
  @ApiProduces('application/vnd.sqlite3')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The SQLite file.' })
  @ApiErrorResponses(403, 500, 501)
  async backup(): Promise<StreamableFile> {
    const sqlite = this.file;
    if (!sqlite) {
      throw new ApiError(
        'backup_unsupported',
        'The bridge stores its data in PostgreSQL (SMS_DATABASE_URL): back it up with pg_dump on the database server.',
      );
    }
    // In the state directory: the one place the hardened unit lets the bridge write.
    const copy = join(dirname(this.config.databasePath), `.backup-${randomUUID()}.db`);
    try {
      await sqlite.backup(copy);
      const file = await open(copy, 'r');
      // Unlinked while open: the stream still reads it, and nothing is left behind.
      await unlink(copy);
      return new StreamableFile(file.createReadStream(), {
        type: 'application/vnd.sqlite3',
        disposition: `attachment; filename="sms-bridge-${new Date().toISOString().replace(/[:.]/g, '-')}.db"`,
      });
    } catch (error) {
      rmSync(copy, { force: true });
      throw new ApiError(
        'backup_failed',
        `The backup could not be made: ${(error as Error).message}. Check free space in ${dirname(this.config.databasePath)}.`,
      );
    }
  }
}
