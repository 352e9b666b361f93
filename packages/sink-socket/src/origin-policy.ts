/**
 * Which browser pages may open a ws:// or wss:// connection. Without a policy any web
 * page the user visits could read the flow stream of a listener on 127.0.0.1, so by
 * default only pages served from the listener's own host are allowed. Clients that are
 * not browsers send no Origin and are always allowed.
 *
 * `allowed`: undefined = same host only; `['*']` = any origin; else exact origins such
 * as `https://dashboard.example:8443`.
 */
export function isOriginAllowed(origin: string | undefined, hostHeader: string | undefined, allowed: readonly string[] | undefined): boolean {
  if (origin === undefined) return true;
  if (allowed !== undefined) return allowed.includes('*') || allowed.includes(origin);
  try {
    return new URL(origin).host === hostHeader;
  } catch {
    return false;
  }
}
