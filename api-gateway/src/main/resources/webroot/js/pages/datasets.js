// Datasets: upload a corpus (plain text or NDJSON) with a progress bar and per-line errors; the list.
import { h, replace, field, options } from '../dom.js';
import { getJson } from '../api.js';
import { upload } from '../upload.js';
import { bytes, time } from '../format.js';
import { problemBox, pageTitle } from '../widgets.js';

const FORMATS = [['auto', 'from the file name'], ['text/plain', 'plain text: one document per line'],
  ['application/x-ndjson', 'NDJSON: {"text": …} per line']];

function contentType(choice, file) {
  if (choice !== 'auto') return choice;
  return /\.(jsonl|ndjson)$/i.test(file.name) ? 'application/x-ndjson' : 'text/plain';
}

export function render({ root, signal }) {
  const file = h('input', { type: 'file', id: 'dataset-file', name: 'file', required: true, accept: '.txt,.text,.jsonl,.ndjson,text/plain,application/x-ndjson' });
  const name = h('input', { type: 'text', id: 'dataset-name', name: 'name', maxlength: 200, placeholder: 'from the file name' });
  const format = options(h('select', { id: 'dataset-format', name: 'format' }), FORMATS, 'auto');
  const bar = h('progress', { class: 'upload-bar', id: 'upload-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const message = h('div', { id: 'upload-message', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', id: 'upload' }, 'Upload');
  const form = h('form', { class: 'card', id: 'upload-form' },
    h('div', { class: 'grid' }, field('Corpus file', file), field('Name', name), field('Format', format)),
    h('div', { class: 'actions' }, submit), bar, message);
  const list = h('tbody');

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = file.files[0];
    if (!chosen) return;
    const datasetName = name.value.trim() || chosen.name.replace(/\.[^.]+$/, '');
    submit.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    replace(message);
    try {
      const dataset = await upload(`/v1/datasets?name=${encodeURIComponent(datasetName)}`, chosen,
        contentType(format.value, chosen), (f) => { bar.value = f; }, signal);
      bar.value = 1;
      replace(message, h('p', { class: 'notice' }, `Uploaded ${dataset.name}: ${dataset.documents} documents, ${bytes(dataset.bytes)}. `,
        h('a', { href: `#/models?dataset=${dataset.id}`, text: 'Train on it' })));
      form.reset();
      await refresh();
    } catch (error) {
      bar.hidden = true;
      if (!signal.aborted) replace(message, problemBox(error, 'Upload rejected:'));
    } finally {
      submit.disabled = false;
    }
  });

  const refresh = async () => {
    const { datasets } = await getJson('/v1/datasets', { signal });
    replace(list, datasets.length ? datasets.map((d) => h('tr', { 'data-dataset': d.id },
      h('td', { text: d.name }), h('td', { text: d.format }), h('td', { class: 'num', text: d.documents }),
      h('td', { class: 'num', text: bytes(d.bytes) }), h('td', { class: 'hide-narrow', text: time(d.created_at) }),
      h('td', {}, h('a', { href: `#/models?dataset=${d.id}`, text: 'Train' }))))
      : h('tr', {}, h('td', { colspan: 6, class: 'hint', text: 'No datasets yet.' })));
  };
  replace(root, pageTitle('Datasets'), h('h2', { text: 'Upload' }), form, h('h2', { text: 'Your datasets' }),
    h('div', { class: 'table-wrap' }, h('table', { id: 'datasets-table' }, h('thead', {}, h('tr', {},
      ['Name', 'Format', 'Documents', 'Size', 'Uploaded', ''].map((t, i) => h('th', { scope: 'col', class: [null, null, 'num', 'num', 'hide-narrow', null][i], text: t })))), list)));
  refresh().catch((error) => { if (!signal.aborted) replace(message, problemBox(error)); });
}
