import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { OperatorRepliesService } from '../operator-texts/operator-replies.service';
import { OutboundService } from './outbound.service';

/**
 * Lets an operator's YES or NO by text decide through OutboundService.approve and deny, the
 * same calls the token's routes make. Handed over at boot because the operator texts module
 * sits below the outbound one (the inbox needs it, and the outbound module needs the inbox).
 */
@Injectable()
export class TextApprovals implements OnModuleInit {
  constructor(
    @Inject(OperatorRepliesService) private readonly replies: OperatorRepliesService,
    @Inject(OutboundService) private readonly outbound: OutboundService,
  ) {}

  onModuleInit(): void {
    this.replies.approveWith(this.outbound);
  }
}
