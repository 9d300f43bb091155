import { IsString, Length, Matches } from 'class-validator';
import { E164_PATTERN } from '../../common/e164';

export class SendSmsDto {
  @IsString({ message: 'to must be a string' })
  @Matches(E164_PATTERN, { message: 'to must be an E.164 number such as +12025551234' })
  to!: string;

  // 1600 characters is Twilio's own ceiling for one message body.
  @IsString({ message: 'body must be a string' })
  @Length(1, 1600, { message: 'body must be 1 to 1600 characters' })
  @Matches(/\S/, { message: 'body must not be only whitespace' })
  body!: string;
}
