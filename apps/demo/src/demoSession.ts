import { createHmac, timingSafeEqual } from 'node:crypto';

/** The session cookie: `<user>.<HMAC-SHA-256 of the user, base64url>`. */
export const SESSION_COOKIE = 'tessera-demo-session';

/** Lifetime of a session cookie, in seconds (a week). */
export const SESSION_MAX_AGE = 7 * 24 * 3600;

/** User names the demo accepts: they appear in object keys (`uploads/<user>/…`). */
export const USER_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** A user name as typed, normalised; `null` when it is not one the demo accepts. */
export function normaliseUserName(input: string): string | null {
  const name = input.trim().toLowerCase();
  return USER_NAME_PATTERN.test(name) ? name : null;
}

// A key of its own for sessions, derived from the app secret, so a session MAC is never an upload token's.
function mac(user: string, secret: string): Buffer {
  const key = createHmac('sha256', secret).update('tessera-demo-session-key').digest();
  return createHmac('sha256', key).update(user).digest();
}

/**
 * The cookie value that proves `user` signed in.
 * @example
 * signSession('ada', secret) // 'ada.q0bq…'
 */
export function signSession(user: string, secret: string): string {
  return `${user}.${mac(user, secret).toString('base64url')}`;
}

/** The user a session cookie value proves, or `null` when it is missing, malformed or forged. */
export function verifySession(value: string | undefined, secret: string): string | null {
  if (!value) return null;
  const dot = value.lastIndexOf('.');
  const user = value.slice(0, dot);
  if (dot < 1 || !USER_NAME_PATTERN.test(user)) return null;
  const given = Buffer.from(value.slice(dot + 1), 'base64url');
  const expected = mac(user, secret);
  return given.length === expected.length && timingSafeEqual(given, expected) ? user : null;
}

/** The value of cookie `name` in a `Cookie` header. */
export function readCookie(header: string | null, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** The signed-in user of a request (its session cookie), or `null`. */
export function requestUser(request: Request, secret: string): string | null {
  return verifySession(readCookie(request.headers.get('cookie'), SESSION_COOKIE), secret);
}
