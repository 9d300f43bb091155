import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  ValidateIf,
} from 'class-validator';
import { E164_PATTERN } from '../../common/e164';
import { IsSmsBody } from '../../safety/message/is-sms-body.decorator';
import { MAX_BODY_LENGTH, MAX_MEDIA_URLS } from '../../safety/message/message-limits';
import { IsPublicHttpsUrl } from '../../safety/message/public-https-url.validator';

/**
 * The one form the README shows: calendar date, time, offset. ISO-8601's week and ordinal
 * dates (2027-W01-1, 2027-001) and the basic format pass IsISO8601, but Date.parse cannot
 * read them: the instant would be NaN.
 */
const SEND_AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const SEND_AT_FORMAT =
  'sendAt must be an ISO-8601 time with a UTC offset, such as 2026-12-01T09:00:00-05:00';

function hasMedia(request: SendSmsDto): boolean {
  return Array.isArray(request.mediaUrl) && request.mediaUrl.length > 0;
}

export class SendSmsDto {
  @ApiProperty({ description: 'The recipient in E.164.', example: '+15551234567' })
  @IsString({ message: 'to must be a string' })
  @Matches(E164_PATTERN, { message: 'to must be an E.164 number such as +12025551234' })
  to!: string;

  @ApiPropertyOptional({
    description: `The text, 1 to ${MAX_BODY_LENGTH} characters and at most 10 SMS segments, without control, bidi or invisible (zero-width, tag) characters. May be left out when mediaUrl is given.`,
    example: 'Test from the SMS bridge',
  })
  @ValidateIf((request: SendSmsDto) => !hasMedia(request) || (request.body ?? '') !== '')
  @IsSmsBody()
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

  @ApiPropertyOptional({
    description:
      'Send later, at this time: ISO-8601 with a UTC offset or Z, in the future and at most SMS_SCHEDULE_MAX_DAYS ahead. Answered 202 {status: "scheduled", id, sendAt, to}.',
    example: '2026-12-01T09:00:00-05:00',
  })
  // null is not "no sendAt": only leaving the field out is.
  @ValidateIf((request: SendSmsDto) => request.sendAt !== undefined)
  @IsString({ message: SEND_AT_FORMAT })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: SEND_AT_FORMAT })
  @Matches(SEND_AT_PATTERN, { message: SEND_AT_FORMAT })
  sendAt?: string;
}
