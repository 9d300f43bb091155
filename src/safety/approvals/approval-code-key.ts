import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { OperatorToken } from '../access/operator-token';

const CODE_PURPOSE = 'approval-code';

/**
 * What is stored of an approval code: an HMAC, so that the database alone, which the agent
 * might read, cannot be searched for the code. Keyed with the Twilio auth token, which every
 * bridge answering one number shares (it checks Twilio's signatures), so a YES delivered to
 * any bridge of the database verifies; each bridge's operator token is its own. Whoever holds
 * the auth token can send as the account without any approval, so the key guards nothing
 * that token did not already. In simulator mode the auth token is drawn at each boot: the
 * single bridge's operator token keys the codes, so they outlive a restart.
 * Why, weighed against a key kept in the database: docs/SECURITY.md.
 */
@Injectable()
export class ApprovalCodeKey {
  private readonly key: Buffer | null;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(OperatorToken) private readonly token: OperatorToken,
  ) {
    this.key =
      config.mode === 'twilio'
        ? createHmac('sha256', config.twilio.authToken).update(CODE_PURPOSE).digest()
        : null;
  }

  digest(code: string): string {
    if (!this.key) return this.token.sign(CODE_PURPOSE, code);
    return createHmac('sha256', this.key).update(code).digest('hex');
  }
}
