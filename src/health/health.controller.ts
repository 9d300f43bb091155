import { Controller, Get, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { VERSION } from '../common/version';
import { AppConfig } from '../config/app-config';
import { PublicRoute } from '../safety/access/public-route.decorator';
import { DatabaseLiveness } from './database-liveness';
import { HealthDto } from './dto/health.dto';
import { ReadinessDto } from './dto/readiness.dto';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DatabaseLiveness) private readonly liveness: DatabaseLiveness,
    @Inject(ReadinessService) private readonly readiness: ReadinessService,
  ) {}

  /**
   * Readiness: 200 when the database takes a commit, the disk has room and Twilio accepted
   * the credentials at boot; 503 with what is wrong otherwise. Local-only: it describes the
   * Twilio account.
   */
  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: database writable, free disk, Twilio credentials verified at boot',
  })
  @ApiOkResponse({ type: ReadinessDto, description: 'Ready.' })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'Not ready: see checks.' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessDto> {
    const readiness = await this.readiness.check();
    if (readiness.status !== 'ready') response.status(503);
    return readiness;
  }

  /** The seed's contract: 200 {"status":"ok"} when the bridge can do its work. */
  @Get()
  @PublicRoute()
  @ApiOperation({ summary: 'Whether the bridge can do its work; mode and sender in use' })
  @ApiOkResponse({ type: HealthDto, description: 'status ok.' })
  @ApiServiceUnavailableResponse({
    type: HealthDto,
    description:
      'status unavailable, code storage_unavailable: the database is unusable. What is wrong is on the local GET /health/ready.',
  })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthDto> {
    const mode = this.config.mode;
    const sender = this.config.sender;
    const simulator =
      mode === 'simulator'
        ? { simulator: 'SIMULATOR MODE: no Twilio credentials; nothing real is sent or received' }
        : {};
    const database = await this.liveness.check();
    if (database.ok) {
      return { status: 'ok', mode, ...simulator, sender, version: VERSION, database: 'ok' };
    }
    // The route is public: the driver's words (a PostgreSQL host and port, a file path) and
    // since when are for the local /health/ready only.
    response.status(503);
    return {
      status: 'unavailable',
      code: 'storage_unavailable',
      mode,
      ...simulator,
      sender,
      version: VERSION,
      database: 'error',
    };
  }
}
