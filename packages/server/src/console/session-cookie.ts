/** The console's session cookie: HttpOnly (no script reads it), SameSite=Strict (no cross-site use). */
export const SESSION_COOKIE = 'semarize_session';
/** The header the console sends its session's CSRF token in, on every write. */
export const CSRF_HEADER = 'x-csrf-token';

/** The session token from a Cookie header, or null. */
export function sessionTokenOf(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** Path=/ because the console calls the same /v1 API with it. */
export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  const flags = ['Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
  if (secure) flags.push('Secure');
  return `${SESSION_COOKIE}=${token}; ${flags.join('; ')}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
