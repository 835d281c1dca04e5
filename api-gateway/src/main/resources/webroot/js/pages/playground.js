// Playground: a prompt, a model and sampling settings; one job (or two strategies side by side) watched live.
import { h, replace, field, options } from '../dom.js';
import { postJson, usableModels } from '../api.js';
import { generationPane } from '../generation.js';
import { problemBox, pageTitle } from '../widgets.js';
import { jobSchemas, numberInput, hubIdInput } from '../schema.js';

/**
 * The playground's own starting values: a short text, a little cooler than the API's defaults (which
 * show as placeholders). Everything else about the fields (limits, choices, labels) is the served schema's.
 */
const STARTING = { max_tokens: 32, temperature: 0.8 };
const FIELDS = ['steps', 'temperature', 'max_tokens', 'seed'];

export function render({ root, query, signal }) {
  const model = h('select', { name: 'model', id: 'pg-model', required: true });
  const prompt = h('textarea', { name: 'prompt', id: 'pg-prompt', rows: 3, value: query.get('prompt') ?? 'The jury said' });
  const hub = hubIdInput('pg-hub');
  const strategy = h('select', { name: 'strategy', id: 'pg-strategy' });
  const inputs = Object.fromEntries(FIELDS.map((name) => [name, h('input', { type: 'number', name, id: `pg-${name}` })]));
  const { steps, temperature, max_tokens: maxTokens, seed } = inputs;
  const labels = Object.fromEntries(FIELDS.map((name) => [name, h('label', { for: `pg-${name}` }, name)]));
  const compare = h('input', { type: 'checkbox', name: 'compare', id: 'pg-compare' });
  const strategy2 = h('select', { name: 'strategy2', id: 'pg-strategy2', disabled: true });
  compare.addEventListener('change', () => { strategy2.disabled = !compare.checked; });
  const submit = h('button', { type: 'submit', id: 'generate' }, 'Generate');
  const message = h('div');
  const panes = h('div', { class: 'panes', id: 'panes' });
  const form = h('form', { class: 'card', id: 'playground-form' },
    h('div', { class: 'grid' },
      h('div', { class: 'wide' }, field('Model', model)),
      h('div', { class: 'wide' }, field('Or a Hub id', hub, 'A Hub model with an MLM head and tokenizer.json (org/name or org/name@revision); overrides the list.')),
      h('div', { class: 'wide' }, field('Prompt', prompt, 'Put <mask> in the prompt to infill instead of continuing.')),
      field('Strategy', strategy),
      ...['steps', 'temperature', 'max_tokens'].map((name) => h('div', { class: 'field' }, labels[name], inputs[name])),
      field('Seed', seed, 'Empty: a random seed, shown on the job.'),
      h('div', { class: 'wide' }, h('label', { class: 'inline' }, compare, 'Compare with a second strategy (same prompt and seed)'),
        field('Second strategy', strategy2))),
    h('div', { class: 'actions' }, submit), message);

  let run = null;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    run?.abort();
    run = new AbortController();
    signal.addEventListener('abort', () => run.abort(), { once: true });
    replace(message);
    replace(panes);
    if (!seed.value) seed.value = String(Math.floor(Math.random() * 2 ** 31));
    const base = {
      type: 'generate', model: hub.value.trim() || model.value, prompt: prompt.value, steps: Number(steps.value),
      temperature: Number(temperature.value), max_tokens: Number(maxTokens.value), seed: Number(seed.value),
    };
    const strategies = compare.checked ? [strategy.value, strategy2.value] : [strategy.value];
    panes.classList.toggle('two', strategies.length === 2);
    submit.disabled = true;
    try {
      const jobs = await Promise.all(strategies.map((s) => postJson('/v1/jobs', { ...base, strategy: s }, { signal: run.signal })));
      jobs.forEach((job) => panes.append(generationPane(job, run.signal, job.spec.strategy)));
    } catch (error) {
      if (!signal.aborted) replace(message, problemBox(error, 'Could not start:'));
    } finally {
      submit.disabled = false;
    }
  });

  replace(root, pageTitle('Playground'), form, panes);
  jobSchemas({ signal }).then((schemas) => {
    const props = schemas.GenerateJobRequest.properties;
    const choices = props.strategy.enum.map((v) => [v, v]);
    options(strategy, choices, props.strategy.default);
    options(strategy2, choices, props.strategy.enum.find((v) => v !== props.strategy.default));
    for (const name of FIELDS) {
      const described = numberInput(`pg-${name}`, name, props[name]);
      for (const attr of ['min', 'max', 'step', 'placeholder', 'title']) {
        if (described.hasAttribute(attr)) inputs[name].setAttribute(attr, described.getAttribute(attr));
      }
      if (name !== 'seed' && inputs[name].value === '') inputs[name].value = STARTING[name] ?? props[name].default;
      if (name !== 'seed') labels[name].textContent = props[name].title ?? name;
    }
  }).catch((error) => { if (!signal.aborted) replace(message, problemBox(error)); });
  usableModels(signal).then((list) => {
    if (!list.length) {
      model.disabled = true;
      replace(message, h('p', { class: 'notice' }, 'No trained or registered model yet: ',
        h('a', { href: '#/models', text: 'train one on the Models page' }), ' (presets have no weights to generate with).'));
      return;
    }
    const wanted = query.get('model');
    options(model, list.map((m) => [m.id, `${m.name} (${m.kind})`]), wanted ?? list[0].id);
  }).catch((error) => { if (!signal.aborted) replace(message, problemBox(error)); });
}
