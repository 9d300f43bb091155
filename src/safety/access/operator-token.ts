import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ConfigError } from '../../config/config.error';

/** Printable ASCII without spaces, long enough not to be guessed: what a Bearer token can carry. */
const USABLE_TOKEN = /^[\x21-\x7e]{32,}$/;

/**
 * The operator's credential: a random secret in a file only the service user (and root) can
 * read. An agent on the same machine can reach every local route, but when it runs as
 * another OS user it cannot read this file, so it cannot decide on its own held messages.
 * Created at the first boot, read at every later one; never logged.
 */
@Injectable()
export class OperatorToken implements OnApplicationBootstrap {
  private readonly logger = new Logger('OperatorToken');
  readonly file: string;
  private readonly secret: Buffer;
  /** Said once the app's logger is in place: made at boot, where the file is. */
  private readonly bootMessages: { level: 'log' | 'warn'; text: string }[] = [];
  private readonly useListeners: (() => Promise<void>)[] = [];

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.file = config.operatorTokenFile;
    this.secret = Buffer.from(this.createOrRead(), 'utf8');
  }

  onApplicationBootstrap(): void {
    for (const { level, text } of this.bootMessages.splice(0)) this.logger[level](text);
  }

  /**
   * Constant-time: how much of a guess was right must not show in the answer time. A match
   * resolves once what follows the token's use is done.
   */
  async matches(presented: string): Promise<boolean> {
    const given = Buffer.from(presented, 'utf8');
    const matched = given.length === this.secret.length && timingSafeEqual(given, this.secret);
    if (matched) for (const listener of this.useListeners) await listener();
    return matched;
  }

  /** Called each time the operator presents the token: proof the operator, not a phone, acts. */
  whenUsed(listener: () => Promise<void>): void {
    this.useListeners.push(listener);
  }

  /**
   * An HMAC keyed with the token: what is stored of a short secret (an approval code) so
   * that the database alone, which the agent might read, cannot be searched for it.
   */
  sign(purpose: string, value: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\0${value}`).digest('hex');
  }

  private createOrRead(): string {
    const token = randomBytes(32).toString('hex');
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      // wx: never overwrite a token someone else (another instance, the operator) wrote.
      writeFileSync(this.file, `${token}\n`, { flag: 'wx', mode: 0o600 });
      this.bootMessages.push({
        level: 'log',
        text: `Operator token created in ${this.file} (mode 0600): approving, denying, pre-approving and backups need it`,
      });
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw this.unusable(error);
    }
    let existing: string;
    try {
      this.checkCustody(statSync(this.file));
      existing = readFileSync(this.file, 'utf8').trim();
    } catch (error) {
      throw error instanceof ConfigError ? error : this.unusable(error);
    }
    if (!USABLE_TOKEN.test(existing)) {
      throw new ConfigError([
        `SMS_OPERATOR_TOKEN_FILE: ${this.file} does not hold a usable token (32 or more printable characters, no spaces); delete it and restart to have a new one made`,
      ]);
    }
    this.bootMessages.push({ level: 'log', text: `Operator token read from ${this.file}` });
    return existing;
  }

  /** A token another user can read, or has written, is not the operator's alone: no boot. */
  private checkCustody({ uid, mode }: Stats): void {
    const problem =
      uid !== process.getuid?.()
        ? `${this.file} belongs to uid ${uid}, not to the user the bridge runs as, who must own it: chown ${userInfo().username} ${this.file}`
        : (mode & 0o077) !== 0
          ? `${this.file} can be read by other users, who could then decide as the operator: chmod 600 ${this.file}`
          : undefined;
    if (problem) throw new ConfigError([`SMS_OPERATOR_TOKEN_FILE: ${problem}`]);
  }

  private unusable(error: unknown): ConfigError {
    return new ConfigError([
      `SMS_OPERATOR_TOKEN_FILE: ${this.file} cannot be created or read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the service user must be able to write its directory`,
    ]);
  }
}
