// Small pieces shared by the pages: status badges, problem boxes, copy buttons, final texts.
import { h, replace } from './dom.js';
import { shortId } from './format.js';
import { request } from './api.js';

export function statusBadge(status) {
  return h('span', { class: `status status-${status}`, text: status });
}

/** An ApiError (or any error, or a job's {code, message}) as an alert; validation errors listed by field. */
export function problemBox(error, lead) {
  const errors = error.errors ?? [];
  const code = error.code ? h('code', { text: error.code }) : null;
  return h('div', { class: 'problem', role: 'alert' },
    lead ? h('strong', { text: `${lead} ` }) : null,
    error.message ?? String(error), code ? [' (', code, ')'] : null,
    errors.length ? h('ul', {}, errors.map(fieldError)) : null);
}

/** One entry of a problem's errors[]: its field path, then its message (without the field when the message starts with it). */
function fieldError(e) {
  const message = e.message ?? JSON.stringify(e);
  const named = e.field && !message.startsWith(e.field);
  return h('li', { 'data-field': e.field ?? '' }, named ? h('strong', { text: `${e.field}: ` }) : null, message);
}

export function jobLink(id) {
  return h('a', { href: `#/jobs/${id}`, class: 'mono', title: id, text: shortId(id) });
}

export function copyButton(text, label = 'Copy') {
  const button = h('button', { type: 'button', class: 'quiet copy' }, label);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = h('textarea', { value: text, 'aria-hidden': 'true', style: 'position:fixed;left:-9999px' });
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = label; }, 1500);
  });
  return button;
}

/** A finished generate job's texts, each with a copy button. */
export function finalTexts(texts) {
  return h('div', { class: 'final' }, h('h3', { text: texts.length > 1 ? 'Final texts' : 'Final text' }),
    texts.map((t) => h('div', { class: 'final-text' }, h('p', { text: t }), copyButton(t))));
}

export function pageTitle(text) {
  document.title = `${text} · Unmask`;
  return h('h1', { text });
}

/** Cancels a job (queued: at once; running: within a step); a refusal shows in `message`. */
export function cancelButton(job, message, signal) {
  const button = h('button', { type: 'button', class: 'danger', 'aria-label': `Cancel job ${job.id}` }, 'Cancel');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await request(`/v1/jobs/${job.id}/cancel`, { method: 'POST', signal });
      button.textContent = 'Cancelling…';
    } catch (error) {
      replace(message, problemBox(error, 'Cancel failed:'));
      button.disabled = false;
    }
  });
  return button;
}
