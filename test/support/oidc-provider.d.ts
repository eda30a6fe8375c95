// The few parts of oidc-provider (which ships no types) that the tests use.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  interface Account {
    accountId: string;
    claims(): Promise<Record<string, unknown>>;
  }
  export default class Provider {
    constructor(issuer: string, configuration: {
      clients: Record<string, unknown>[];
      findAccount(ctx: unknown, sub: string): Promise<Account>;
      claims?: Record<string, string[]>;
      conformIdTokenClaims?: boolean;
      features?: Record<string, unknown>;
      cookies?: { keys: string[] };
    });
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
