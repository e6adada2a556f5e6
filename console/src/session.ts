/** The bearer token lives in sessionStorage only: never localStorage, never the URL. */
const TOKEN_KEY = 'herald.token';
const PORTAL_KEY = 'herald.portal';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string, portal = false): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  if (portal) sessionStorage.setItem(PORTAL_KEY, '1');
  else sessionStorage.removeItem(PORTAL_KEY);
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(PORTAL_KEY);
}

export function isPortalSession(): boolean {
  return sessionStorage.getItem(PORTAL_KEY) === '1';
}

/**
 * A portal link arrives as `/console/portal#token=…`: keep the token for this tab and drop the
 * fragment at once, so it leaves neither the address bar nor the history entry.
 */
export function adoptPortalToken(): boolean {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return false;
  setToken(decodeURIComponent(match[1]), true);
  history.replaceState(null, '', location.pathname + location.search);
  return true;
}
