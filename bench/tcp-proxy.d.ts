/** See tcp-proxy.js: a TCP proxy that adds latency or silently stops passing bytes. */
export declare class TcpProxy {
  constructor(target: { host: string; port: number }, delayMs?: number);
  delayMs: number;
  listen(): Promise<number>;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}
