import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { peerAddress } from '../common/request-origin';
import { Approval, ApprovalsService } from '../safety/approvals/approvals.service';
import { Audited } from '../safety/audit/audited.decorator';
import { ApprovalsQueryDto } from '../safety/approvals/dto/approvals-query.dto';
import { RequestApprovalDto } from '../safety/approvals/dto/request-approval.dto';
import { OperatorOnly } from '../safety/access/operator-only.decorator';
import { RateLimited } from '../safety/access/rate-limited.decorator';
import { AcceptedMessage } from '../twilio/twilio.client';
import { ScheduleService } from '../schedule/schedule.service';
import { ScheduledSendDto } from '../schedule/dto/scheduled-send.dto';
import { OutboundService } from './outbound.service';

/**
 * The operator's decisions on held messages and agents' requests. Here rather than in
 * safety/ because approving sends the held message; the rules are ApprovalsService's.
 */
@Controller('sms/approvals')
export class ApprovalsController {
  constructor(
    @Inject(ApprovalsService) private readonly approvals: ApprovalsService,
    @Inject(OutboundService) private readonly outbound: OutboundService,
    @Inject(ScheduleService) private readonly schedule: ScheduleService,
  ) {}

  @Get()
  list(@Query() query: ApprovalsQueryDto): { approvals: Approval[] } {
    return { approvals: this.approvals.list(query.status) };
  }

  /** An agent asks the operator to let it text a number, saying why. */
  @Post()
  @HttpCode(201)
  @Audited('request_approval')
  @RateLimited('send')
  request(@Body() request: RequestApprovalDto, @Req() req: Request): { approval: Approval } {
    return {
      approval: this.approvals.request(
        request.to,
        request.body ?? null,
        request.reason,
        peerAddress(req),
      ),
    };
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Audited('approve')
  @OperatorOnly()
  approve(
    @Param('id') id: string,
    @Req() req: Request,
  ): Promise<{
    approval: Approval;
    message: AcceptedMessage | null;
    scheduled?: ScheduledSendDto;
  }> {
    return this.outbound.approve(id, peerAddress(req));
  }

  @Post(':id/deny')
  @HttpCode(200)
  @Audited('deny')
  @OperatorOnly()
  deny(@Param('id') id: string, @Req() req: Request): { approval: Approval } {
    const approval = this.approvals.decide(id, 'denied', peerAddress(req));
    this.schedule.discardHeld(approval);
    return { approval };
  }
}
