// Small pieces shared by the pages: status badges, problem boxes, copy buttons, final texts.
import { h } from './dom.js';
import { shortId } from './format.js';

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
    errors.length ? h('ul', {}, errors.map((e) => h('li', {}, e.field ? h('strong', { text: `${e.field}: ` }) : null, e.message ?? e.detail ?? JSON.stringify(e)))) : null);
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
