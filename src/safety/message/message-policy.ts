import { Inject, Injectable } from '@nestjs/common';
import { FieldProblems, validationFailed } from '../../common/validation-failed';
import { DestinationPolicy } from './destination-policy';
import { MAX_MEDIA_URLS } from './message-limits';
import { isPublicHttpsUrl } from './public-https-url.validator';
import { BodyMeasure, measureBody } from './segment-limit';
import { smsBodyProblem } from './sms-body';

export interface OutgoingMessage {
  to: string;
  /** null: no message yet (an approval request for the number alone). */
  body: string | null;
  mediaUrl?: readonly string[];
}

/**
 * What a message must be to leave the bridge at all, whoever causes it: the send route, an
 * agent's approval request, the operator's approval, the MCP tools (through the routes) and
 * the bridge's own senders. Destination first (SMS pumping defence), then the body's
 * content, the media and the segment count. Nothing is stored before it passes.
 */
@Injectable()
export class MessagePolicy {
  constructor(@Inject(DestinationPolicy) private readonly destinations: DestinationPolicy) {}

  /** Throws the refusal; returns the message's cost in segments. */
  check({ to, body, mediaUrl = [] }: OutgoingMessage): BodyMeasure {
    this.destinations.check(to);
    const media = mediaUrl.length > 0;
    const problems: FieldProblems[] = [];
    const bodyProblem = body === null || (media && body === '') ? null : smsBodyProblem(body);
    if (bodyProblem) problems.push({ field: 'body', problems: [bodyProblem] });
    if (mediaUrl.length > MAX_MEDIA_URLS || !mediaUrl.every(isPublicHttpsUrl)) {
      problems.push({
        field: 'mediaUrl',
        problems: [`mediaUrl must hold at most ${MAX_MEDIA_URLS} public https URLs`],
      });
    }
    if (problems.length) throw validationFailed(problems);
    return measureBody(body ?? '', media);
  }
}
