import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import { E164_PATTERN } from '../../common/e164';
import { IsPublicHttpsUrl } from './public-https-url.validator';

/** Twilio takes at most 10 media items per message. */
export const MAX_MEDIA_URLS = 10;

function hasMedia(request: SendSmsDto): boolean {
  return Array.isArray(request.mediaUrl) && request.mediaUrl.length > 0;
}

export class SendSmsDto {
  @ApiProperty({ description: 'The recipient in E.164.', example: '+15551234567' })
  @IsString({ message: 'to must be a string' })
  @Matches(E164_PATTERN, { message: 'to must be an E.164 number such as +12025551234' })
  to!: string;

  // 1600 characters is Twilio's own ceiling for one message body.
  @ApiPropertyOptional({
    description:
      'The text, 1 to 1600 characters and at most 10 SMS segments. May be left out when mediaUrl is given.',
    example: 'Test from the SMS bridge',
  })
  @ValidateIf((request: SendSmsDto) => !hasMedia(request) || (request.body ?? '') !== '')
  @IsString({ message: 'body must be a string' })
  @Length(1, 1600, { message: 'body must be 1 to 1600 characters' })
  @Matches(/\S/, { message: 'body must not be only whitespace' })
  // Controls (NUL, ESC, ...) are never meant, and bidi overrides can make a text read
  // other than it is (Trojan Source, CVE-2021-42574). Tab, newline and RLM/LRM marks pass.
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]*$/, {
    message: 'body must not contain control or bidi override characters',
  })
  body?: string;

  @ApiPropertyOptional({
    description: `Up to ${MAX_MEDIA_URLS} public https URLs Twilio fetches and sends as MMS.`,
    type: [String],
    example: ['https://example.com/picture.jpg'],
  })
  @IsOptional()
  @IsArray({ message: 'mediaUrl must be an array of https URLs' })
  @ArrayMinSize(1, { message: 'mediaUrl must hold at least one URL when given' })
  @ArrayMaxSize(MAX_MEDIA_URLS, {
    message: `mediaUrl must hold at most ${MAX_MEDIA_URLS} URLs`,
  })
  @IsPublicHttpsUrl({
    each: true,
    message:
      'each mediaUrl must be an https URL on a public host (not http, localhost or a private address)',
  })
  mediaUrl?: string[];
}
