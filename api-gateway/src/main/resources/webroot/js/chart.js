// A line chart drawn as inline SVG: one series of {x, y}, axes labelled with the extremes.
import { num } from './format.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 480, H = 200, PAD = { left: 58, right: 12, top: 12, bottom: 28 };

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A chart that redraws as points arrive: `add(x, y)` then it batches redraws per animation frame. */
export class LineChart {
  constructor(title, xLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.points = [];
    this.pending = false;
    this.el = document.createElement('figure');
    this.el.className = 'chart card';
    this.caption = document.createElement('figcaption');
    this.el.append(this.caption);
    this.root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' });
    this.el.append(this.root);
    this.draw();
  }

  add(x, y) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.points.push({ x, y });
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => { this.pending = false; this.draw(); });
    }
  }

  draw() {
    const pts = this.points;
    const last = pts.at(-1);
    this.caption.textContent = `${this.title}${last ? `: ${num(last.y)} at ${this.xLabel} ${last.x}` : ' (no data yet)'}`;
    this.el.dataset.points = String(pts.length);
    this.root.replaceChildren(svg('title', {}, `${this.title}, ${pts.length} points`));
    const [x0, x1] = extent(pts.map((p) => p.x));
    const [y0, y1] = extent(pts.map((p) => p.y));
    const sx = (x) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
    const sy = (y) => H - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
    const g = this.root;
    g.append(svg('line', { class: 'axis', x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom }));
    g.append(svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom }));
    if (!pts.length) return;
    g.append(svg('text', { x: PAD.left - 6, y: PAD.top + 8, 'text-anchor': 'end' }, num(y1, 3)));
    g.append(svg('text', { x: PAD.left - 6, y: H - PAD.bottom, 'text-anchor': 'end' }, num(y0, 3)));
    g.append(svg('text', { x: PAD.left, y: H - 8 }, String(x0)));
    g.append(svg('text', { x: W - PAD.right, y: H - 8, 'text-anchor': 'end' }, `${this.xLabel} ${x1}`));
    g.append(svg('polyline', { class: 'line', points: pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ') }));
  }
}

function extent(values) {
  if (!values.length) return [0, 1];
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return [lo, hi];
}
