import { Module } from '@nestjs/common';
import { SafetyModule } from '../safety/safety.module';
import { SendingModule } from '../sending/sending.module';
import { OperatorNotifier } from './operator-notifier.service';
import { OperatorSender } from './operator-sender';
import { OperatorTextsController } from './operator-texts.controller';
import { OperatorTextsRepository } from './operator-texts.repository';
import { OperatorTextsService } from './operator-texts.service';

/** Approval by text: codes to the operator's phones (SMS_OPERATOR_NUMBERS), decisions back. */
@Module({
  imports: [SendingModule, SafetyModule],
  controllers: [OperatorTextsController],
  providers: [OperatorTextsRepository, OperatorTextsService, OperatorSender, OperatorNotifier],
  exports: [OperatorSender, OperatorNotifier, OperatorTextsService],
})
export class OperatorTextsModule {}
