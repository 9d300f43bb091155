// The part of pg-native (and of the libpq addon under it) that the PostgreSQL adapter uses.
declare module 'pg-native' {
  interface TypeParsers {
    getTypeParser(oid: number): (value: string) => unknown;
  }

  interface Libpq {
    cmdTuples(): string;
    resultErrorFields(): { sqlState?: string } | undefined;
    /** 0 idle, 1 active, 2 in a transaction, 3 in a failed transaction, 4 connection bad. */
    transactionStatus(): number;
  }

  class Client {
    constructor(config?: { types?: TypeParsers });
    readonly pq: Libpq;
    connectSync(url: string): void;
    querySync(text: string, values?: (string | null)[]): Record<string, unknown>[];
    prepareSync(name: string, text: string, count: number): void;
    executeSync(name: string, values: (string | null)[]): Record<string, unknown>[];
    end(): void;
  }

  export = Client;
}
