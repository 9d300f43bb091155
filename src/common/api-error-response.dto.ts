import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

class ApiErrorDetail {
  @ApiProperty({ example: 'validation_failed', description: 'Stable snake_case code.' })
  code!: string;

  @ApiProperty({ example: 'The request is invalid: to must be an E.164 number.' })
  message!: string;
}

/** The one error body of the bridge, for the OpenAPI document. */
export class ApiErrorResponse {
  @ApiProperty({
    type: ApiErrorDetail,
    description: 'code and message, plus details that depend on the code (e.g. segments).',
  })
  error!: ApiErrorDetail;
}

const MEANINGS: Record<number, string> = {
  400: 'The request is invalid (validation_failed, body_too_long, invalid_since, ...).',
  403: 'Refused: local_only, invalid_signature, or a Twilio refusal such as recipient_opted_out.',
  404: 'Not found (message_not_found).',
  429: 'Rate limited.',
  502: 'Twilio refused or could not be reached.',
  504: 'Twilio did not answer in time; check the outbox before retrying.',
};

/** Documents error answers of a route, all in the one error body. */
export function ApiErrorResponses(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: MEANINGS[status], type: ApiErrorResponse }),
    ),
  );
}
