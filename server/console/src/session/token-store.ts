// The token lives in this tab's session storage only: it is gone when the tab closes, other
// tabs and sites cannot read it, and it never appears in a URL (so not in history, logs or a
// Referer header).
const key = 'taskproc.console.token';

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    // Storage may be disabled (a privacy mode): then the console asks again on every load.
    return null;
  }
}

export function storeToken(token: string): void {
  try {
    sessionStorage.setItem(key, token);
  } catch {
    // Without storage the session lasts as long as the page.
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing was stored.
  }
}
