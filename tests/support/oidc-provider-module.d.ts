// The little of oidc-provider 8 (a dev dependency that ships no types) the tests use.
declare module 'oidc-provider' {
  import type { Server } from 'node:http';

  export interface ProviderContext {
    method: string;
    path: string;
    body: unknown;
    oidc?: { route?: string; [k: string]: unknown };
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    listen(port: number, host?: string): Server;
    use(middleware: (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    readonly issuer: string;
  }
}
