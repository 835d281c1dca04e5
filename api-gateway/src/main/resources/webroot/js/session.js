// The API key lives in sessionStorage only: gone when the tab closes, never in localStorage or a cookie.
const KEY = 'unmask.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function signIn(key) {
  sessionStorage.setItem(KEY, key);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}
