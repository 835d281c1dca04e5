// The live denoising canvas: frames of a generate job drawn as text with mask chips, this step's new words highlighted.
import { h, replace, field } from './dom.js';

export const MASK = '\u2591'; // how the worker draws a masked position in a frame's canvas

/** A canvas as units: each mask is one unit, text splits into words and the spaces between them. */
export function units(canvas) {
  return canvas.match(new RegExp(`${MASK}|\\s+|[^\\s${MASK}]+`, 'gu')) ?? [];
}

/** Which units of `next` are new since `prev` (not part of their longest common subsequence). */
export function newUnits(prev, next) {
  const n = prev.length, m = next.length;
  const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = prev[i] === next[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const fresh = new Array(m).fill(true);
  for (let i = 0, j = 0; i < n && j < m;) {
    if (prev[i] === next[j]) { fresh[j] = false; i++; j++; }
    else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return fresh;
}

/** One text of a job (a job with n > 1 has several): its frames, its canvas and its step line. */
class Row {
  constructor(parent, label) {
    this.frames = [];
    this.line = h('p', { class: 'stepline', 'aria-live': 'polite' }, 'Waiting for the first frame…');
    this.canvas = h('div', { class: 'canvas', 'aria-hidden': 'true' });
    parent.append(h('div', { class: 'canvas-row' }, label ? h('h3', { text: label }) : null, this.line, this.canvas));
  }

  /** Draws the newest frame at or before `step`, its new words found against the frame before it. */
  show(step, totalSteps, prompt) {
    let at = -1;
    for (let i = 0; i < this.frames.length && this.frames[i].step <= step; i++) at = i;
    if (at < 0) return;
    const data = this.frames[at];
    const next = units(data.canvas);
    const fresh = newUnits(at > 0 ? units(this.frames[at - 1].canvas) : [], next);
    const promptUnits = prompt && data.canvas.startsWith(prompt) ? units(prompt).length : 0;
    replace(this.canvas, next.map((u, i) => {
      if (u === MASK) return h('span', { class: 'chip' });
      if (i < promptUnits) return h('span', { class: 'prompt', text: u });
      return fresh[i] && u.trim() ? h('span', { class: 'new', text: u }) : u;
    }));
    this.canvas.dataset.masked = String(data.masked);
    this.canvas.dataset.step = String(data.step);
    const total = data.total ?? totalSteps; // the frame's own count: GPT-2 writes max_tokens steps, not spec.steps
    const of = total ? ` of ${total}` : '';
    this.line.textContent = `Step ${data.step}${of} · ${data.masked} masked · ${data.changed?.length ?? 0} changed`;
  }
}

/** Every row of one generate job, drawn live; a slider replays any earlier step. */
export class DenoiseView {
  constructor(prompt, totalSteps, n = 1) {
    this.prompt = prompt;
    this.totalSteps = totalSteps;
    this.n = n;
    this.rows = new Map();
    this.frames = 0;
    this.lastStep = 0;
    this.slider = h('input', { type: 'range', min: 1, max: 1, value: 1, step: 1, disabled: true, class: 'replay' });
    this.slider.addEventListener('input', () => this.showStep(Number(this.slider.value)));
    this.rowsEl = h('div');
    this.el = h('div', { class: 'denoise' }, this.rowsEl, field('Replay step', this.slider));
  }

  frame(data) {
    const index = data.index ?? 0;
    if (!this.rows.has(index)) this.rows.set(index, new Row(this.rowsEl, this.n > 1 ? `Text ${index + 1}` : null));
    const row = this.rows.get(index);
    row.frames.push(data);
    const following = Number(this.slider.value) >= this.lastStep; // a user looking at an earlier step stays there
    this.lastStep = Math.max(this.lastStep, data.step);
    this.slider.max = String(this.lastStep);
    this.slider.disabled = this.lastStep < 2;
    if (following) {
      this.slider.value = String(this.lastStep);
      row.show(data.step, this.totalSteps, this.prompt);
    }
    this.frames++;
    this.el.dataset.frames = String(this.frames);
  }

  showStep(step) {
    for (const row of this.rows.values()) row.show(step, this.totalSteps, this.prompt);
  }
}
