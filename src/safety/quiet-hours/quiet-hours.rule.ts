import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { QuietHours } from './quiet-hours';
import { recipientZones } from './recipient-zones';

const MINUTE_MS = 60_000;

/** What the rule is told of a send: when it is asked to go, and the recipient's last text. */
export interface QuietHoursAsk {
  to: string;
  at: number;
  /** When the recipient last texted the bridge (ISO), if ever. */
  lastInboundAt: string | null;
}

/**
 * The recipient's quiet hours (SMS_QUIET_HOURS, on their own clock): the first instant a
 * send may go, or 409 quiet_hours in refuse mode. The send pipeline applies it after the
 * destination and contact rules, so a number that is never allowed is refused as such
 * rather than told to try later.
 */
@Injectable()
export class QuietHoursRule {
  private readonly quiet?: QuietHours;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    const quiet = config.quietHours;
    if (quiet) this.quiet = new QuietHours(quiet.start, quiet.end);
  }

  /**
   * The first instant from `at` on that is outside the quiet hours in every zone of the
   * number (SMS_TIMEZONE when it has none, or when its zones share no time outside them).
   * A reply to the recipient's own recent text is not held: they are awake.
   */
  async allowedAt({ to, at, lastInboundAt }: QuietHoursAsk): Promise<number> {
    const settings = this.config.quietHours;
    if (!this.quiet || !settings) return at;
    if (lastInboundAt && Date.parse(lastInboundAt) >= at - settings.replyMinutes * MINUTE_MS) {
      return at;
    }
    const zones = await recipientZones(to);
    const fallback = [this.config.safety.timeZone];
    const allowed =
      (zones.length > 0 ? this.quiet.allowedAt(at, zones) : null) ??
      this.quiet.allowedAt(at, fallback)!;
    if (allowed === at || settings.mode === 'defer') return allowed;
    const allowedAt = new Date(allowed).toISOString();
    throw new ApiError(
      'quiet_hours',
      `It is quiet hours where ${to} is; nothing was sent. Send again at or after ${allowedAt}, or pass sendAt.`,
      { allowedAt, timeZones: zones.length > 0 ? zones : fallback },
    );
  }
}
