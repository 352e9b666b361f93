import type { AppSnapshot } from './app-rules.js';

/**
 * A flow's application-detection state (FORMATS §10.1, §11): the definitions it was first
 * classified with, the addresses to look up (the OTHER-class side first), and what the DNS
 * hint cache and the category tables gave it.
 */
export class FlowApps {
  dhcHit = false;
  dnsHostName = '';
  applicationCategory = 0;
  domainCategory = 0;
  /** The server certificate's CN was looked up (once per flow). */
  cnChecked = false;

  constructor(
    readonly snapshot: AppSnapshot,
    /** Network lookup order: the OTHER-class side first, else upper then lower (netifyd). */
    readonly firstAddress: Uint8Array | undefined,
    readonly secondAddress: Uint8Array | undefined,
    /** The address the DNS hint cache is asked about: lower if OTHER, else upper if OTHER. */
    readonly hintAddress: Uint8Array | undefined,
  ) {}

  protocolCategory(protocol: number): number {
    return this.snapshot.categories?.categoryOf('protocol', protocol) ?? 0;
  }
}
