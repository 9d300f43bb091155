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
  // Controls (NUL, ESC, ...) are never meant, and bidi overrides can make a text read
  // other than it is (Trojan Source, CVE-2021-42574). Tab, newline and RLM/LRM marks pass.
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]*$/, {
    message: 'body must not contain control or bidi override characters',
  })
  body!: string;
}
