// One generate job watched live: status, cancel, the denoising canvas from its frames, then its texts or its error.
import { h, replace } from './dom.js';
import { getJson, request, TERMINAL } from './api.js';
import { followJob } from './sse.js';
import { DenoiseView } from './denoise.js';
import { statusBadge, problemBox, finalTexts, jobLink } from './widgets.js';

/**
 * A pane for the job: returns its element at once and fills it as events arrive. `causal`: the job's
 * model is a GPT-2, which writes left to right and reads no strategy or steps.
 */
export function generationPane(job, signal, heading, { causal = false } = {}) {
  const spec = job.spec;
  const how = causal ? `left to right · temperature ${spec.temperature} · ${spec.max_tokens} tokens · seed ${spec.seed}`
    : `${spec.strategy} · ${spec.steps} steps · temperature ${spec.temperature} · ${spec.max_tokens} tokens · seed ${spec.seed}`;
  const view = new DenoiseView(spec.prompt, spec.steps, spec.n ?? 1);
  const badge = h('span', {}, statusBadge(job.status));
  const outcome = h('div', { class: 'outcome' });
  const cancel = h('button', { type: 'button', class: 'danger', hidden: TERMINAL.has(job.status) }, 'Cancel');
  const pane = h('section', { class: 'card pane', 'data-job': job.id, 'aria-label': heading ?? `Job ${job.id}` },
    h('h2', {}, heading ?? spec.strategy, ' ', badge, ' ', h('span', { class: 'hint' }, 'job ', jobLink(job.id))),
    h('p', { class: 'hint', text: how }),
    view.el, outcome, h('div', { class: 'actions' }, cancel));

  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      await request(`/v1/jobs/${job.id}/cancel`, { method: 'POST', signal });
    } catch (error) {
      replace(outcome, problemBox(error, 'Cancel failed:'));
      cancel.disabled = false;
    }
  });

  const finish = async () => {
    const done = await getJson(`/v1/jobs/${job.id}`, { signal });
    replace(badge, statusBadge(done.status));
    cancel.hidden = true;
    pane.dataset.status = done.status;
    if (done.status === 'succeeded') replace(outcome, finalTexts(done.result?.full_texts ?? done.result?.texts ?? []));
    else if (done.status === 'failed') replace(outcome, problemBox(done.error ?? { message: 'failed' }, 'Generation failed:'));
    else if (done.status === 'cancelled') replace(outcome, h('p', { class: 'notice', text: 'Cancelled.' }));
  };

  followJob(job.id, (event) => {
    if (event.kind === 'frame') view.frame(event.data);
    else if (event.kind === 'status') replace(badge, statusBadge(event.data.status));
  }, signal).then(() => { if (!signal.aborted) return finish(); })
    .catch((error) => { if (!signal.aborted) replace(outcome, problemBox(error, 'Lost the event stream:')); });
  return pane;
}
