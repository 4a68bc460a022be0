// The proof of control of a declared account (issue 11): a public repository
// named code-commun-<token>. It proves something, it is no software: the
// harvest never catalogues it, even before the declarer deletes it.

export const challengePrefix = "code-commun-";

/** 64 random bits in lower-case hex, as the service issues them. */
const challengePattern = /^code-commun-[0-9a-f]{16}$/i;

export function isChallengeRepository(name: string): boolean {
  return challengePattern.test(name);
}
