import { Module } from '@nestjs/common';
import { DestinationPolicy } from './destination-policy';
import { MessagePolicy } from './message-policy';
import { OperatorNumberRule } from './operator-number.rule';

/**
 * What a message must be to leave the bridge: destination, body, media, segments; and who
 * it may not be for.
 */
@Module({
  providers: [DestinationPolicy, MessagePolicy, OperatorNumberRule],
  exports: [MessagePolicy, OperatorNumberRule],
})
export class MessageModule {}
