import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { Audited } from '../safety/audit/audited.decorator';
import { OperatorOnly } from '../safety/access/operator-only.decorator';
import { ForwarderService } from './forwarder.service';

class LiftedHaltDto {
  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' })
  since!: string;

  @ApiProperty({
    example:
      "the hook answered HTTP 401 (Unauthorized): set SMS_FORWARD_SECRET to the Gateway's hooks.token",
  })
  reason!: string;
}

class ForwardRetryDto {
  @ApiProperty({ enum: ['retrying'] })
  status!: 'retrying';

  @ApiPropertyOptional({
    type: LiftedHaltDto,
    nullable: true,
    description: 'The halt this lifted; null when pushes were not halted.',
  })
  lifted!: LiftedHaltDto | null;
}

/**
 * `sms-bridge forward retry`: after the operator fixed what the hook refused (a token, a
 * path, OpenClaw's session policy), pushing resumes at once without a restart. The
 * operator's: an agent must not be able to make the bridge hammer its own Gateway.
 */
@ApiTags('maintenance')
@Controller('sms/forward')
export class ForwardController {
  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ForwarderService) private readonly forwarder: ForwarderService,
  ) {}

  @Post('retry')
  @HttpCode(200)
  @Audited('forward_retry')
  @OperatorOnly()
  @ApiOperation({
    summary:
      'The operator lifts a halt on pushes and retries every waiting push now (operator token)',
  })
  @ApiOkResponse({ type: ForwardRetryDto })
  @ApiErrorResponses(403, 409)
  async retry(): Promise<ForwardRetryDto> {
    if (!this.config.forward) {
      throw new ApiError(
        'forward_not_configured',
        'This bridge pushes nothing: SMS_FORWARD_URL is not set, so there is no push to retry.',
      );
    }
    const halt = await this.forwarder.resume();
    return { status: 'retrying', lifted: halt && { since: halt.since, reason: halt.reason } };
  }
}
