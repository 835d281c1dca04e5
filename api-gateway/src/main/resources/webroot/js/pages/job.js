// One job: facts, error, result, its event stream replayed and live, and per type a loss/lr chart and checkpoints or the denoising canvas.
import { h, replace } from '../dom.js';
import { getJson, TERMINAL } from '../api.js';
import { followJob } from '../sse.js';
import { LineChart } from '../chart.js';
import { DenoiseView } from '../denoise.js';
import { showCheckpoints } from '../checkpoints.js';
import { num, time } from '../format.js';
import { statusBadge, problemBox, finalTexts, pageTitle, cancelButton } from '../widgets.js';
import { eventLog } from '../event-log.js';

export function render({ root, params: [id], signal }) {
  const head = h('div');
  const facts = h('div', { class: 'card' });
  const error = h('div', { id: 'job-error' });
  const live = h('div');
  const result = h('section', { id: 'job-result' });
  const spec = h('pre', { id: 'job-spec' });
  const log = eventLog();
  const checkpoints = h('div', { id: 'job-checkpoints' });
  replace(root, head, error, facts, live, result, h('h2', { text: 'Spec' }), spec, log.el);

  let job = null;
  let loss, lr, stats, view;
  const refresh = async () => {
    job = await getJson(`/v1/jobs/${id}`, { signal });
    draw(job);
    if (job.type === 'train') await showCheckpoints(checkpoints, job, signal);
  };
  const draw = (j) => {
    replace(head, pageTitle(`${j.type === 'train' ? 'Training' : 'Generation'} ${j.id.slice(0, 8)}`),
      h('p', {}, statusBadge(j.status), ' ', TERMINAL.has(j.status) ? null : cancelButton(j, error, signal)));
    root.dataset.status = j.status;
    replace(facts, h('dl', { class: 'facts' }, fact('Id', h('code', { text: j.id })), fact('Type', j.type),
      fact('Model', modelLink(j.spec.model)), j.spec.dataset ? fact('Dataset', h('code', { text: j.spec.dataset })) : null,
      fact('Progress', h('span', { id: 'job-progress', text: `${j.progress.step} / ${j.progress.total}` })), fact('Attempts', `${j.attempts} of ${j.max_attempts}`),
      fact('Created', time(j.created_at)), fact('Started', time(j.started_at)), fact('Finished', time(j.finished_at))));
    replace(error, j.error ? problemBox(j.error, j.status === 'failed' ? 'The job failed:' : 'The last attempt failed:') : null);
    replace(spec, JSON.stringify(j.spec, null, 2));
    replace(result, j.result ? [h('h2', { text: 'Result' }), resultView(j)] : null);
  };

  getJson(`/v1/jobs/${id}`, { signal }).then((first) => {
    job = first;
    draw(job);
    if (job.type === 'train') {
      loss = new LineChart('Loss', 'step');
      lr = new LineChart('Learning rate', 'step');
      loss.el.id = 'loss-chart';
      lr.el.id = 'lr-chart';
      stats = h('p', { class: 'stepline', 'aria-live': 'polite' });
      replace(live, h('h2', { text: 'Training' }), stats, h('div', { class: 'charts' }, loss.el, lr.el),
        h('h2', { text: 'Checkpoints' }), checkpoints);
      showCheckpoints(checkpoints, job, signal).catch(() => {});
    } else {
      view = new DenoiseView(job.spec.prompt, job.spec.steps, job.spec.n ?? 1);
      view.el.classList.add('card');
      replace(live, h('h2', { text: 'Denoising' }), view.el);
    }
    return followJob(id, (event) => {
      log.add(event);
      if (event.kind === 'progress' && loss) {
        const d = event.data;
        loss.add(d.step, d.loss);
        lr.add(d.step, d.lr);
        const progress = document.getElementById('job-progress');
        if (progress) progress.textContent = `${d.step} / ${d.total}`;
        stats.textContent = `Step ${d.step} of ${d.total} · loss ${num(d.loss)} · lr ${num(d.lr)} · grad norm ${num(d.grad_norm)}`
          + ` · ${Math.round(d.tokens_per_second)} tokens/s · ETA ${Math.round(d.eta_seconds)} s`;
      } else if (event.kind === 'frame' && view) {
        view.frame(event.data);
      } else if (event.kind === 'status' || event.kind === 'checkpoint') {
        refresh().catch(() => {});
      }
    }, signal);
  }).then(() => {
    if (signal.aborted) return undefined;
    if (loss && !loss.points.length) replace(loss.el.parentElement, h('p', { class: 'hint', text: 'No training step was reported.' }));
    return refresh();
  })
    .catch((e) => { if (!signal.aborted) replace(error, problemBox(e, 'Could not load the job:')); });
}

function fact(term, value) {
  return [h('dt', { text: term }), h('dd', {}, value ?? '')];
}

function modelLink(model) {
  if (!model || model.startsWith('preset:')) return model;
  return h('a', { href: '#/models', class: 'mono', title: model, text: model.slice(0, 8) });
}

function resultView(job) {
  const r = job.result;
  const parts = [];
  if (job.type === 'generate' && Array.isArray(r.texts)) parts.push(finalTexts(r.full_texts ?? r.texts));
  if (job.type === 'train' && r.model) {
    parts.push(h('p', {}, `Produced model ${r.model_name} (final loss ${num(r.final_loss)}): `,
      h('a', { href: `#/playground?model=${r.model}`, id: 'generate-from-model', text: 'generate from it' }), ' · ',
      h('a', { href: '#/models', text: 'download its files' })));
  }
  parts.push(h('details', {}, h('summary', { text: 'Result JSON' }), h('pre', { text: JSON.stringify(r, null, 2) })));
  return h('div', { class: 'card' }, parts);
}
