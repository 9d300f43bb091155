import type { DestinationStream } from 'pino';

/**
 * A last line of defence behind pino's `redact`: whatever a log line carries (an SDK error
 * message, a stringified config, a header nobody thought of), the Twilio auth token and
 * the Basic credentials built from it never reach the destination.
 */
export function scrubSecrets(destination: DestinationStream, secrets: string[]): DestinationStream {
  const needles = secrets.filter((secret) => secret.length >= 8);
  return {
    write(line: string): void {
      let clean = line;
      for (const needle of needles) clean = clean.split(needle).join('[Redacted]');
      destination.write(clean);
    },
  };
}
