import { Injectable, PipeTransform } from '@nestjs/common';
import { E164_PATTERN } from '../common/e164';
import { validationFailed } from '../common/validation-failed';

/** A route's phone number parameter, refused as the body's numbers are. */
@Injectable()
export class E164Pipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!E164_PATTERN.test(value)) {
      throw validationFailed([
        { field: 'number', problems: ['number must be an E.164 number such as +12025551234'] },
      ]);
    }
    return value;
  }
}
