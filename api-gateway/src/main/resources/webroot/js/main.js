// The app shell: sign-in gate, hash routes (#/jobs/ID), one page at a time with an AbortSignal for its streams and polls.
import { apiKey, signOut } from './session.js';
import * as signin from './pages/signin.js';
import * as playground from './pages/playground.js';
import * as jobs from './pages/jobs.js';
import * as job from './pages/job.js';
import * as datasets from './pages/datasets.js';
import * as models from './pages/models.js';
import * as compare from './pages/compare.js';
import * as api from './pages/api.js';

const ROUTES = [
  [/^playground$/, playground],
  [/^jobs$/, jobs],
  [/^jobs\/([0-9a-f-]{36})$/, job],
  [/^datasets$/, datasets],
  [/^models$/, models],
  [/^compare$/, compare],
  [/^api$/, api],
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const signOutButton = document.getElementById('sign-out');
let current = null;
let rejected = false; // the server stopped accepting the key mid-session
let firstPage = true; // focus moves to the new page on navigation, not on the first load

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  return { path, query: new URLSearchParams(query) };
}

function show() {
  current?.abort();
  current = new AbortController();
  const signedIn = Boolean(apiKey());
  nav.hidden = !signedIn;
  signOutButton.hidden = !signedIn;
  if (!signedIn) {
    signin.render({ root: main, signal: current.signal, rejected, done: () => { rejected = false; show(); } });
    return;
  }
  const { path, query } = parseHash();
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  if (!route) {
    location.replace('#/playground');
    return;
  }
  for (const a of nav.querySelectorAll('a')) {
    if (path.startsWith(a.getAttribute('href').slice(2))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  main.replaceChildren();
  const params = path.match(route[0]).slice(1);
  Promise.resolve(route[1].render({ root: main, params, query, signal: current.signal }))
    .then(() => route[1].focusOperation?.(query));
  if (!firstPage) main.focus({ preventScroll: true });
  firstPage = false;
}

signOutButton.addEventListener('click', () => { signOut(); show(); });
window.addEventListener('hashchange', show);
window.addEventListener('unmask:unauthorized', () => { rejected = true; signOut(); show(); });
show();
