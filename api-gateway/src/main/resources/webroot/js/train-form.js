// The training form: base model, dataset, the common hyperparameters, the rest under "Advanced".
import { h, replace, field, options } from './dom.js';
import { getJson, postJson } from './api.js';
import { problemBox } from './widgets.js';

/** [name, label, attributes]; an empty input means the server's default. */
const COMMON = [
  ['steps', 'Steps', { min: 1, placeholder: '1000' }],
  ['batch_size', 'Batch size', { min: 1, placeholder: '16' }],
  ['seq_len', 'Sequence length', { min: 8, placeholder: '128' }],
  ['learning_rate', 'Learning rate', { min: 0, step: 'any', placeholder: '0.0005' }],
];
const ADVANCED = [
  ['vocab_size', 'Vocabulary size (from scratch)', { min: 262, placeholder: '8000' }],
  ['warmup_steps', 'Warmup steps', { min: 0, placeholder: '5% of steps' }],
  ['weight_decay', 'Weight decay', { min: 0, step: 'any', placeholder: '0.01' }],
  ['grad_clip', 'Gradient clip', { min: 0, step: 'any', placeholder: '1.0' }],
  ['grad_accumulation', 'Gradient accumulation', { min: 1, placeholder: '1' }],
  ['checkpoint_every', 'Checkpoint every (0 = final only)', { min: 0, placeholder: '100' }],
  ['prefix_len', 'Protected prefix length', { min: 0, placeholder: '0' }],
  ['seed', 'Seed', { step: 1, placeholder: '0' }],
  ['held_out', 'Held-out fraction', { min: 0, max: 0.5, step: 'any', placeholder: '0.05' }],
  ['eval_samples', 'Eval samples', { min: 0, max: 100, placeholder: '2' }],
];

function numberInputs(specs) {
  return specs.map(([name, label, attrs]) => [name, field(label, h('input', { type: 'number', name, id: `train-${name}`, ...attrs }))]);
}

export function trainForm(signal, preselectedDataset) {
  const model = h('select', { id: 'train-model', name: 'model', required: true });
  const dataset = h('select', { id: 'train-dataset', name: 'dataset', required: true });
  const outputName = h('input', { type: 'text', id: 'train-output-name', name: 'output_name', maxlength: 200, placeholder: 'dataset-model' });
  const decay = options(h('select', { id: 'train-lr_decay', name: 'lr_decay' }), [['', 'default (linear)'], ['linear', 'linear'], ['cosine', 'cosine'], ['constant', 'constant']], '');
  const precision = options(h('select', { id: 'train-precision', name: 'precision' }), [['', 'default (fp32)'], ['fp32', 'fp32'], ['fp16', 'fp16 (GPU workers)']], '');
  const noise = options(h('select', { id: 'train-noise', name: 'noise' }), [['', 'default (discrete, 10 levels)'], ['discrete', 'discrete'], ['continuous', 'continuous']], '');
  const levels = h('input', { type: 'number', id: 'train-levels', name: 'levels', min: 1, placeholder: '10' });
  const eps = h('input', { type: 'number', id: 'train-eps', name: 'eps', min: 0, step: 'any', placeholder: '0.001' });
  const common = numberInputs(COMMON);
  const advanced = numberInputs(ADVANCED);
  const message = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', id: 'train-submit' }, 'Start training');
  const form = h('form', { class: 'card', id: 'train-form' },
    h('div', { class: 'grid' }, field('Base model', model, 'A preset trains from scratch; a model fine-tunes.'),
      field('Dataset', dataset), field('Output name', outputName), common.map(([, el]) => el)),
    h('details', { id: 'train-advanced' }, h('summary', { text: 'Advanced hyperparameters' }),
      h('div', { class: 'grid' }, field('Learning-rate decay', decay), field('Precision', precision), advanced.map(([, el]) => el),
        field('Noise schedule', noise), field('Noise levels (discrete)', levels), field('Noise eps (continuous)', eps))),
    h('div', { class: 'actions' }, submit), message);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const hyper = {};
    for (const [name, el] of [...common, ...advanced]) {
      const input = el.querySelector('input');
      if (input.value !== '') hyper[name] = Number(input.value);
    }
    if (decay.value) hyper.lr_decay = decay.value;
    if (precision.value) hyper.precision = precision.value;
    if (noise.value === 'discrete') hyper.noise = { schedule: 'discrete', ...(levels.value ? { levels: Number(levels.value) } : {}) };
    if (noise.value === 'continuous') hyper.noise = { schedule: 'continuous', ...(eps.value ? { eps: Number(eps.value) } : {}) };
    const body = { type: 'train', model: model.value, dataset: dataset.value, hyperparameters: hyper };
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
