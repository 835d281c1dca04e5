// The training form: base model, dataset, the common hyperparameters, the rest under "Advanced". Every
// hyperparameter field (label, placeholder = default, limits, choices) comes from /openapi.json's
// TrainHyperparameters, which the gateway generates from the parameter description.
import { h, replace, field, options } from './dom.js';
import { getJson, postJson } from './api.js';
import { problemBox } from './widgets.js';
import { jobSchemas, numberField, numberInput, enumOptions, hubIdInput } from './schema.js';

/** Shown before "Advanced"; everything else the schema lists goes under it. */
const COMMON = ['steps', 'batch_size', 'seq_len', 'learning_rate'];

export function trainForm(signal, preselectedDataset) {
  const model = h('select', { id: 'train-model', name: 'model', required: true });
  const hub = hubIdInput('train-hub');
  const dataset = h('select', { id: 'train-dataset', name: 'dataset', required: true });
  const outputName = h('input', { type: 'text', id: 'train-output-name', name: 'output_name', maxlength: 200, placeholder: 'dataset-model' });
  const common = h('div', { class: 'grid' });
  const advanced = h('div', { class: 'grid' });
  const message = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', id: 'train-submit' }, 'Start training');
  const hubHint = h('span', { class: 'hint', id: 'train-hub-hint' });
  hub.setAttribute('aria-describedby', hubHint.id);
  const form = h('form', { class: 'card', id: 'train-form' },
    h('div', { class: 'grid' },
      field('Base model', model, 'A preset trains from scratch; a model fine-tunes; or give a Hub id (org/name or org/name@revision) below.'),
      h('div', { class: 'field' }, h('label', { for: hub.id }, 'Or a Hub id'), hub, hubHint),
      field('Dataset', dataset), field('Output name', outputName)),
    common,
    h('details', { id: 'train-advanced' }, h('summary', { text: 'Advanced hyperparameters' }), advanced),
    h('div', { class: 'actions' }, submit), message);

  /** name -> read(): the value to send, or undefined for the server's default. */
  const readers = new Map();
  const number = (input) => () => (input.value === '' ? undefined : Number(input.value));

  jobSchemas({ signal }).then((schemas) => {
    const props = schemas.TrainHyperparameters.properties;
    hubHint.textContent = `Overrides the list. The API takes ${schemas.ModelName.description}.`;
    const selects = [];
    const numbers = [];
    const nested = [];
    for (const [name, prop] of Object.entries(props)) {
      if (prop.type === 'integer' || prop.type === 'number') {
        const [, el, input] = numberField('train', name, prop);
        readers.set(name, number(input));
        if (COMMON.includes(name)) common.append(el); else numbers.push(el);
      } else if (prop.enum) {
        const select = options(h('select', { id: `train-${name}`, name, title: prop.description }), enumOptions(prop), '');
        readers.set(name, () => select.value || undefined);
        selects.push(field(prop.title ?? name, select));
      } else if (prop.oneOf) {
        nested.push(...noiseFields(name, prop, schemas, readers));
      }
    }
    advanced.append(...selects, ...numbers, ...nested);
  }).catch((error) => { if (!signal.aborted) replace(message, problemBox(error)); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const hyper = {};
    for (const [name, read] of readers) {
      const value = read();
      if (value !== undefined) hyper[name] = value;
    }
    const body = { type: 'train', model: hub.value.trim() || model.value, dataset: dataset.value, hyperparameters: hyper };
    if (outputName.value.trim()) body.output_name = outputName.value.trim();
    submit.disabled = true;
    replace(message);
    try {
      const job = await postJson('/v1/jobs', body, { signal });
      location.hash = `#/jobs/${job.id}`;
    } catch (error) {
      if (!signal.aborted) replace(message, problemBox(error, 'The training was not accepted:'));
    } finally {
      submit.disabled = false;
    }
  });

  Promise.all([getJson('/v1/models', { signal }), getJson('/v1/datasets', { signal })]).then(([m, d]) => {
    options(model, m.models.map((x) => [x.id, `${x.name} (${x.kind})`]), 'preset:tiny');
    options(dataset, d.datasets.map((x) => [x.id, `${x.name} (${x.documents} documents)`]), preselectedDataset ?? d.datasets[0]?.id);
    if (!d.datasets.length) {
      submit.disabled = true;
      replace(message, h('p', { class: 'notice' }, 'Upload a dataset first on the ', h('a', { href: '#/datasets', text: 'Datasets' }), ' page.'));
    }
  }).catch((error) => { if (!signal.aborted) replace(message, problemBox(error)); });
  return form;
}

/**
 * A nested object with one schema per choice (noise: DiscreteNoise, ContinuousNoise): a select of the
 * choices and each choice's own fields (ids train-noise, train-levels, train-eps).
 */
function noiseFields(name, prop, schemas, readers) {
  const variants = prop.oneOf.map((ref) => schemas[ref.$ref.split('/').pop()]);
  const choice = (v) => v.properties[v.required[0]].const;
  const key = variants[0].required[0];
  const fallback = prop.default?.[key];
  const select = options(h('select', { id: `train-${name}`, name, title: prop.description }),
    [['', `default (${fallback})`], ...variants.map((v) => [choice(v), choice(v)])], '');
  const inputs = [];
  const els = [field(prop.title ?? name, select)];
  for (const v of variants) {
    for (const [field_, p] of Object.entries(v.properties)) {
      if (field_ === key) continue;
      const input = numberInput(`train-${field_}`, field_, p);
      inputs.push([choice(v), field_, input]);
      els.push(field(`${p.title ?? field_} (${choice(v)})`, input));
    }
  }
  readers.set(name, () => {
    if (!select.value) return undefined;
    const object = { [key]: select.value };
    for (const [c, f, input] of inputs) if (c === select.value && input.value !== '') object[f] = Number(input.value);
    return object;
  });
  return els;
}
