import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';

/**
 * An operator phone (SMS_OPERATOR_NUMBERS) hears from the bridge only: were the agent to
 * text it, a forged "sms-bridge: … Reply YES" would come from the same sender as the real
 * notifications. The refusal names no number, so the agent does not learn the phones.
 */
@Injectable()
export class OperatorNumberRule {
  private readonly phones: ReadonlySet<string>;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.phones = new Set(config.operatorTexts?.numbers);
  }

  /** 403 operator_number when `to` is an operator phone. */
  check(to: string): void {
    if (!this.phones.has(to)) return;
    throw new ApiError(
      'operator_number',
      "The number is one of the operator's phones (SMS_OPERATOR_NUMBERS); only the bridge texts it. Nothing was stored or sent; do not retry.",
    );
  }
}
