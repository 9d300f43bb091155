/**
 * A boot failure the operator can fix, said in one plain line (no stack: it would only
 * bury the line in journald).
 */
export class BootFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootFailure';
  }
}
