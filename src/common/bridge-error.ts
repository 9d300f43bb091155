/** A refusal or failure of the bridge's local API, with its stable code and sentence. */
export class BridgeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The rest of the bridge's error body (limit, resetsAt, ...): an agent acts on them. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}
