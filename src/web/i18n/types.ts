/**
 * A message: plain text with {name} placeholders, or plural forms chosen with
 * Intl.PluralRules on the `count` parameter (French "one" covers 0 and 1).
 * Messages are text, never markup: templates escape them like any value.
 */
export type Message = string | { one: string; other: string };
