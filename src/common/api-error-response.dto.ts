import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';
import { codesWithStatus, ERROR_CODES } from './error-codes';

/** The one error body of the bridge, for the OpenAPI document. */
export class ApiErrorResponse {
  @ApiProperty({
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: {
        type: 'string',
        enum: Object.keys(ERROR_CODES),
        description: 'Stable snake_case code.',
        example: 'validation_failed',
      },
      message: {
        type: 'string',
        example: 'The request is invalid: to must be an E.164 number.',
      },
    },
    // Details depend on the code (fields, segments, resetsAt...); the catalogue names them.
    additionalProperties: true,
    description: 'code and message, plus details that depend on the code (e.g. segments).',
  })
  error!: { code: string; message: string; [detail: string]: unknown };
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
