import { Inject, Injectable } from '@nestjs/common';
import { OperatorTextsRepository } from './operator-texts.repository';

/** What other modules may ask of the operator texts (operator_texts). */
@Injectable()
export class OperatorTextsService {
  constructor(@Inject(OperatorTextsRepository) private readonly texts: OperatorTextsRepository) {}

  /** Retention: texts made before `time` keep their record, not their words. */
  forgetTextBefore(time: string): number {
    return this.texts.clearTextBefore(time);
  }
}
