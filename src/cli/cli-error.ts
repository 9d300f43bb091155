export const EXIT = { ok: 0, refused: 1, usage: 2, down: 3 } as const;

/** A failure the CLI finds on its own, with a stable code as the bridge's refusals have. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exit: number = EXIT.usage,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError('invalid_usage', message);
