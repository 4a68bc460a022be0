// Which forge software we can harvest, and how to reach each one.
import type { AdapterFactory, AdapterOptions, ForgeAdapter, ForgeLookup, LookupFactory } from "./forge.ts";

export interface ForgeType {
  create: AdapterFactory;
  /** The API base URL of a host when the sources give no `api` key. */
  defaultApiUrl(host: string): string;
  /** Account look-ups for declarations (issue 11); absent: accounts of this type cannot be declared yet. */
  lookup?: LookupFactory;
}

export class ForgeRegistry {
  constructor(private readonly forgeTypes: Record<string, ForgeType>) {}

  types(): string[] {
    return Object.keys(this.forgeTypes);
  }

  defaultApiUrl(type: string, host: string): string {
    return this.get(type).defaultApiUrl(host);
  }

  create(type: string, options: AdapterOptions): ForgeAdapter {
    return this.get(type).create(options);
  }

  hasLookup(type: string): boolean {
    return Boolean(this.forgeTypes[type]?.lookup);
  }

  /** The look-ups of a forge type, or null when it has none. */
  lookup(type: string, options: AdapterOptions): ForgeLookup | null {
    const forgeType = this.forgeTypes[type];
    return forgeType?.lookup ? forgeType.lookup(options) : null;
  }

  private get(type: string): ForgeType {
    const forgeType = this.forgeTypes[type];
    if (!forgeType) throw new Error(`no adapter for forge type "${type}"`);
    return forgeType;
  }
}
