import { ApiError } from './api-error';

export interface FieldProblems {
  field: string;
  problems: string[];
}

/** 400 validation_failed naming each field and its problems, as the ValidationPipe answers. */
export function validationFailed(fields: FieldProblems[]): ApiError {
  const summary = fields.map((field) => field.problems.join('; ')).join('; ');
  return new ApiError('validation_failed', `The request is invalid: ${summary}.`, { fields });
}
