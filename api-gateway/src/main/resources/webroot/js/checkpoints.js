// A training job's checkpoints, each with "generate from this checkpoint" (registers its folder as a model).
import { h, replace } from './dom.js';
import { getJson, postJson } from './api.js';
import { num, time } from './format.js';
import { problemBox } from './widgets.js';

/** Fills `el` with the job's checkpoints; `producedModel` is offered when a checkpoint cannot be registered. */
export async function showCheckpoints(el, job, signal) {
  const { checkpoints } = await getJson(`/v1/jobs/${job.id}/checkpoints`, { signal });
  const message = h('div', { 'aria-live': 'polite' });
  if (!checkpoints.length) {
    replace(el, h('p', { class: 'hint', text: 'No checkpoints yet.' }));
    return;
  }
  const row = (c) => h('tr', { 'data-step': c.step },
    h('td', { class: 'num', text: c.step }), h('td', { class: 'num', text: num(c.metrics?.loss) }),
    h('td', { class: 'hide-narrow', text: time(c.created_at) }),
    h('td', {}, generateButton(c, job, message, signal)));
  replace(el, h('div', { class: 'table-wrap' }, h('table', { id: 'checkpoints' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num', text: 'Step' }), h('th', { scope: 'col', class: 'num', text: 'Loss' }),
      h('th', { scope: 'col', class: 'hide-narrow', text: 'Saved' }), h('th', { scope: 'col', text: '' }))),
    h('tbody', {}, checkpoints.map(row)))), message);
}

function generateButton(checkpoint, job, message, signal) {
  const button = h('button', { type: 'button', class: 'quiet' }, 'Generate from this checkpoint');
  button.addEventListener('click', async () => {
    button.disabled = true;
    const name = `${job.spec.output_name ?? `job-${job.id.slice(0, 8)}`}-step-${checkpoint.step}`;
    try {
      const model = await postJson('/v1/models', { name, checkpoint: { job: job.id, step: checkpoint.step } }, { signal });
      location.hash = `#/playground?model=${model.id}`;
    } catch (error) {
      const produced = job.result?.model;
      replace(message, problemBox(error, 'This checkpoint cannot be registered as a model:'),
        h('p', { class: 'notice' },
          produced ? h('a', { href: `#/playground?model=${produced}`, text: 'Generate from the produced model instead.' })
            : 'When the training finishes, generate from the model it produces.'));
      button.disabled = false;
    }
  });
  return button;
}
