// What the declaration service shares with its callers: who acts, the
// on-demand harvest it triggers, and its typed errors.
import type { OnDemandHarvester } from "../harvest/onDemand.ts";

/** The signed-in person acting on declarations, as the identity provider described them. */
export interface Actor {
  /** The provider's subject: stable, unlike the e-mail. */
  subject: string;
  email: string | null;
  name: string | null;
  /** SIRET of the person's organisation (ProConnect's `siret` claim), to prefill the public body. */
  siret: string | null;
  /** Listed in MODERATORS with an e-mail the provider said is verified. */
  moderator: boolean;
}

/** The on-demand harvest (src/harvest/onDemand.ts): approval asks it to harvest the approved account at once. */
export type DeclarationHarvester = Pick<OnDemandHarvester, "request">;

/** The form's fields, as typed: kept as they are to fill the form again after an error. */
export interface DeclarationInput {
  host: string;
  /** Forge software of a host the catalogue does not know yet (github, gitlab...). */
  forge: string;
  /** API base URL of a host the catalogue does not know yet; empty: the type's default. */
  api: string;
  /** Organisation, user or group path; empty with wholeInstance. */
  account: string;
  wholeInstance: boolean;
  /** A pso_id of data/public-bodies.yml, a SIRET, or the body's name. */
  publicBody: string;
  contact: string;
}

export type DeclarationField = "host" | "forge" | "api" | "account" | "public_body" | "contact";

/** Stable reasons, for messages in both languages and for scripts. */
export type DeclarationReason =
  | "required"
  | "invalid"
  | "too_long"
  | "unknown_host"
  | "unsupported_forge"
  | "insecure_api"
  | "forge_unreachable"
  | "account_not_found"
  | "instance_not_supported"
  | "already_listed"
  | "already_declared"
  | "rate_limited"
  | "forge_error"
  | "not_found"
  | "forbidden"
  | "wrong_status"
  | "token_expired"
  | "challenge_missing"
  | "reason_required";

export interface FieldProblem {
  field: DeclarationField;
  reason: DeclarationReason;
}

export class DeclarationError extends Error {
  override name = "DeclarationError";
  constructor(
    readonly reason: DeclarationReason,
    message: string,
    readonly extra: {
      /** Problems of single fields (reason "invalid" overall). */
      fields?: FieldProblem[];
      /** A page that explains: the listed account, the existing declaration. */
      link?: string;
      status?: number;
    } = {},
  ) {
    super(message);
  }

  get httpStatus(): number {
    return this.extra.status ?? (this.reason === "not_found" ? 404 : this.reason === "forbidden" ? 403 : this.reason === "rate_limited" ? 429 : this.reason === "wrong_status" || this.reason === "already_declared" || this.reason === "already_listed" ? 409 : 400);
  }
}
