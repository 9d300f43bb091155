/** Another process holds a port the bridge must listen on: the operator frees it or picks another. */
export class PortInUseError extends Error {
  constructor(port: number, address: string, variable: string) {
    super(`port ${port} on ${address} is in use: stop the other process or set ${variable}`);
    this.name = 'PortInUseError';
  }

  /** A failed listen as the operator should read it: EADDRINUSE names the port and `variable`. */
  static from(error: unknown, variable: string): unknown {
    const failure = error as NodeJS.ErrnoException & { port?: number; address?: string };
    if (failure?.code !== 'EADDRINUSE' || failure.port === undefined) return error;
    return new PortInUseError(failure.port, failure.address ?? 'this machine', variable);
  }
}
