import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { peerAddress } from '../common/request-origin';
import { ApprovalsService } from '../safety/approvals/approvals.service';
import { Audited } from '../safety/audit/audited.decorator';
import { ApprovalListDto, ApprovalResponseDto } from '../safety/approvals/dto/approval.dto';
import { ApprovalsQueryDto } from '../safety/approvals/dto/approvals-query.dto';
import { RequestApprovalDto } from '../safety/approvals/dto/request-approval.dto';
import { OperatorOnly } from '../safety/access/operator-only.decorator';
import { RateLimited } from '../safety/access/rate-limited.decorator';
import { SendPipeline } from '../sending/send-pipeline';
import { OperatorNotifier } from '../operator-texts/operator-notifier.service';
import { ApproveResponseDto } from './dto/approve-response.dto';
import { OutboundService } from './outbound.service';

const APPROVAL_ID = ApiParam({
  name: 'id',
  description: 'The approvalId of a held send, or the id of a request.',
  example: '3f1c9a2e-8b4d-4f6a-9c1e-2d7b5a0e4f18',
});

/**
 * The operator's decisions on held messages and agents' requests. Here rather than in
 * safety/ because approving sends the held message; the rules are ApprovalsService's.
 */
@ApiTags('approvals')
@Controller('sms/approvals')
export class ApprovalsController {
  constructor(
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(OutboundService) private readonly outbound: OutboundService,
    @Inject(SendPipeline) private readonly pipeline: SendPipeline,
    @Inject(OperatorNotifier) private readonly notifier: OperatorNotifier,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Approvals, newest first (up to 500); ?status=pending for those waiting',
  })
  @ApiOkResponse({ type: ApprovalListDto })
  @ApiErrorResponses(400)
  async list(@Query() query: ApprovalsQueryDto): Promise<ApprovalListDto> {
    return { approvals: await this.approvals.list(query.status) };
  }

  /** One approval whole: what `sms-bridge approvals show ID` prints for the operator. */
  @Get(':id')
  @ApiOperation({ summary: 'One approval, its body and media whole' })
  @APPROVAL_ID
  @ApiOkResponse({ type: ApprovalResponseDto })
  @ApiErrorResponses(404)
  async show(@Param('id') id: string): Promise<ApprovalResponseDto> {
    return { approval: await this.approvals.find(id) };
  }

  /** An agent asks the operator to let it text a number, saying why. */
  @Post()
  @HttpCode(201)
  @Audited('request_approval')
  @RateLimited('send')
  @ApiOperation({
    summary: 'Ask the operator to approve texting a number, with the reason they will read',
  })
  @ApiCreatedResponse({ type: ApprovalResponseDto })
  @ApiErrorResponses(400, 403, 429)
  async request(
    @Body() request: RequestApprovalDto,
    @Req() req: Request,
  ): Promise<ApprovalResponseDto> {
    // What could never be sent (a refused destination, a body over 10 segments, a number
    // that said STOP) is refused now, not on approval.
    const message = { to: request.to, body: request.body ?? null };
    await this.pipeline.screen('approval_request', message, { at: Date.now() });
    const approval = await this.approvals.request(
      request.to,
      request.body ?? null,
      request.reason,
      peerAddress(req),
    );
    this.notifier.announce({ approval, kind: 'agent_request' });
    return { approval };
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Audited('approve')
  @OperatorOnly()
  @ApiOperation({
    summary: 'The operator approves the number and sends the held message (operator token)',
  })
  @APPROVAL_ID
  @ApiOkResponse({ type: ApproveResponseDto })
  @ApiErrorResponses(403, 404, 409, 422, 429, 502, 504)
  approve(@Param('id') id: string, @Req() req: Request): Promise<ApproveResponseDto> {
    return this.outbound.approve(id, peerAddress(req));
  }

  @Post(':id/deny')
  @HttpCode(200)
  @Audited('deny')
  @OperatorOnly()
  @ApiOperation({
    summary: 'The operator discards the held message and refuses the number (operator token)',
  })
  @APPROVAL_ID
  @ApiOkResponse({ type: ApprovalResponseDto })
  @ApiErrorResponses(403, 404, 409)
  async deny(@Param('id') id: string, @Req() req: Request): Promise<ApprovalResponseDto> {
    return { approval: await this.outbound.deny(id, peerAddress(req)) };
  }
}
