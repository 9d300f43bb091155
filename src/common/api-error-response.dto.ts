import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { codesWithStatus, ERROR_CODES } from './error-codes';

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

/** Documents error answers of a route, all in the one error body, with the codes of each status. */
export function ApiErrorResponses(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: codesWithStatus(status)
          .map((code) => `${code}: ${ERROR_CODES[code].meaning}`)
          .join('\n\n'),
        type: ApiErrorResponse,
      }),
    ),
  );
}
