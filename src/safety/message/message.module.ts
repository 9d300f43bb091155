import { Module } from '@nestjs/common';
import { DestinationPolicy } from './destination-policy';
import { MessagePolicy } from './message-policy';

/** What a message must be to leave the bridge: destination, body, media, segments. */
@Module({
  providers: [DestinationPolicy, MessagePolicy],
  exports: [MessagePolicy],
})
export class MessageModule {}
