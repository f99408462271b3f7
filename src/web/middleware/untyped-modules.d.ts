// Declarations for the small modules this service uses that ship no types.
// negotiator 1.1.0 ships no types; only the call this service makes is declared.
declare module 'negotiator' {
  import type { IncomingMessage } from 'node:http';
  export default class Negotiator {
    constructor(request: IncomingMessage);
    /** The client's most preferred of `available`; among equal quality values, the first of `preferred`. */
    encoding(available: string[], options?: { preferred?: string[] }): string | undefined;
  }
}

// compressible 2.0.18 ships no types either.
declare module 'compressible' {
  /** True for a type worth compressing, false for one that is not, undefined for a type it does not know. */
  export default function compressible(type: string): boolean | undefined;
}
