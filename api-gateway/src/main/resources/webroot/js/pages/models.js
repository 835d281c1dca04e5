// Models: presets, registered and trained models, their files (downloaded with the key); register a folder; train.
import { h, replace, field } from '../dom.js';
import { getJson, postJson } from '../api.js';
import { download } from '../download.js';
import { bytes, time } from '../format.js';
import { problemBox, jobLink, pageTitle } from '../widgets.js';
import { trainForm } from '../train-form.js';

export function render({ root, query, signal }) {
  const list = h('tbody');
  const message = h('div', { 'aria-live': 'polite' });
  const refresh = async () => {
    const { models } = await getJson('/v1/models', { signal });
    replace(list, models.map((m) => modelRow(m, message, signal)));
  };
  replace(root, pageTitle('Models'), message,
    h('div', { class: 'table-wrap' }, h('table', { id: 'models-table' }, h('thead', {}, h('tr', {},
      ['Name', 'Kind', 'From job', 'Created', ''].map((t, i) => h('th', { scope: 'col', class: i === 3 ? 'hide-narrow' : null, text: t })))), list)),
    h('h2', { id: 'train', text: 'Train a model' }), trainForm(signal, query.get('dataset')),
    h('h2', { text: 'Register a folder' }), registerForm(signal, refresh));
  refresh().catch((error) => { if (!signal.aborted) replace(message, problemBox(error)); });
}

function modelRow(m, message, signal) {
  const files = h('div', { class: 'files' });
  const actions = m.kind === 'preset' ? h('span', { class: 'hint', text: 'architecture only: train it' }) : [
    h('a', { href: `#/playground?model=${m.id}`, text: 'Generate' }), ' ',
    filesButton(m, files, message, signal)];
  return h('tr', { 'data-model': m.id, 'data-kind': m.kind },
    h('td', {}, h('strong', { text: m.name }), h('br'), h('code', { class: 'hint', text: m.id })),
    h('td', { text: m.kind }), h('td', {}, m.source_job ? jobLink(m.source_job) : ''),
    h('td', { class: 'hide-narrow', text: time(m.created_at) }), h('td', {}, actions, files));
}

function filesButton(m, files, message, signal) {
  const button = h('button', { type: 'button', class: 'quiet', 'aria-expanded': 'false' }, 'Files');
  button.addEventListener('click', async () => {
    if (button.getAttribute('aria-expanded') === 'true') {
      replace(files);
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    try {
      const detail = await getJson(`/v1/models/${m.id}`, { signal });
      button.setAttribute('aria-expanded', 'true');
      replace(files, detail.files.length ? h('ul', {}, detail.files.map((name) => h('li', {}, downloadButton(m, name, message, signal))))
        : h('p', { class: 'hint', text: 'No files.' }));
    } catch (error) {
      replace(message, problemBox(error));
    }
  });
  return button;
}

function downloadButton(m, name, message, signal) {
  const button = h('button', { type: 'button', class: 'quiet download', 'data-file': name }, `Download ${name}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const size = await download(`/v1/models/${m.id}/files/${encodeURIComponent(name)}`, name, signal);
      button.textContent = `Downloaded ${name} (${bytes(size)})`;
    } catch (error) {
      replace(message, problemBox(error, `Download of ${name} failed:`));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function registerForm(signal, refresh) {
  const name = h('input', { type: 'text', id: 'register-name', name: 'name', required: true, maxlength: 200 });
  const path = h('input', { type: 'text', id: 'register-path', name: 'path', required: true, placeholder: '/models/roberta-base' });
  const message = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card', id: 'register-form' },
    h('div', { class: 'grid' }, field('Name', name), field('Server folder', path, 'A Hugging Face folder under one of the server\'s UNMASK_MODEL_ROOTS.')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Register')), message);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const m = await postJson('/v1/models', { name: name.value.trim(), path: path.value.trim() }, { signal });
      replace(message, h('p', { class: 'notice', text: `Registered ${m.name}.` }));
      form.reset();
      await refresh();
    } catch (error) {
      replace(message, problemBox(error, 'Not registered:'));
    }
  });
  return form;
}
