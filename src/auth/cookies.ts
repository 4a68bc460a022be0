// Signed cookie values: `<value>.<HMAC-SHA256 of it>`, checked in constant time.
import { createHmac, timingSafeEqual } from "node:crypto";

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export function hmac(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", secret).update(`${purpose}\n${value}`).digest("base64url");
}

export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function sign(secret: string, purpose: string, value: string): string {
  return `${value}.${hmac(secret, purpose, value)}`;
}

/** The value of a signed cookie, or null when it was not signed with this secret for this purpose. */
export function unsign(secret: string, purpose: string, signed: string | undefined): string | null {
  if (!signed || signed.length > 500) return null;
  const at = signed.lastIndexOf(".");
  if (at <= 0) return null;
  const value = signed.slice(0, at);
  return sameText(signed.slice(at + 1), hmac(secret, purpose, value)) ? value : null;
}
