// Sign in with an API key: checked against the API, kept in sessionStorage only.
import { h, replace, field } from '../dom.js';
import { request } from '../api.js';
import { signIn } from '../session.js';
import { problemBox, pageTitle } from '../widgets.js';

export function render({ root, done, rejected }) {
  const key = h('input', { type: 'password', id: 'api-key', name: 'api-key', autocomplete: 'current-password', required: true });
  const message = h('div', { 'aria-live': 'assertive' },
    rejected ? h('p', { class: 'notice', text: 'The server no longer accepts the key of this tab; sign in again.' }) : null);
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card', id: 'sign-in' },
    field('API key', key, 'Kept in this tab only (sessionStorage); sent as Authorization: Bearer.'),
    h('div', { class: 'actions' }, submit), message);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    replace(message);
    try {
      await request('/v1/jobs?limit=1', { key: key.value.trim() });
      signIn(key.value.trim());
      done();
    } catch (error) {
      replace(message, problemBox(error, 'Sign-in failed:'));
      key.focus();
    } finally {
      submit.disabled = false;
    }
  });
  replace(root, pageTitle('Sign in'), form);
  key.focus();
}
