import { fixed, s } from './dom.js';
import type { Trace } from './types.js';

const W = 320;
const H = 96;
const PAD = { l: 34, r: 30, t: 8, b: 16 };

/**
 * θ of the state before each token of a reply (left axis, radians) and the temperature the
 * sampler used there (right axis, 0–1), as an inline SVG line chart. Each θ point selects its
 * token (`data-index`); the selected one is marked.
 */
export function thetaChart(traces: readonly Trace[], selected: number): SVGElement {
  const n = traces.length;
  const thetas = traces.map((t) => t.theta);
  let lo = Math.min(...thetas);
  let hi = Math.max(...thetas);
  if (!(hi > lo)) {
    lo -= 0.1;
    hi += 0.1;
  }
  const x = (i: number) => PAD.l + (n <= 1 ? (W - PAD.l - PAD.r) / 2 : (i * (W - PAD.l - PAD.r)) / (n - 1));
  const yTheta = (v: number) => PAD.t + (1 - (v - lo) / (hi - lo)) * (H - PAD.t - PAD.b);
  const yTemp = (v: number) => PAD.t + (1 - v) * (H - PAD.t - PAD.b);
  const line = (ys: number[], y: (v: number) => number) => ys.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    'data-chart': 'theta',
    role: 'img',
    'aria-label': `θ along the reply, ${n} tokens, from ${fixed(lo, 3)} to ${fixed(hi, 3)} rad; temperature beside it`,
  });
  svg.append(
    s('line', { x1: PAD.l, x2: W - PAD.r, y1: H - PAD.b, y2: H - PAD.b, class: 'axis' }),
    s('text', { x: PAD.l - 4, y: PAD.t + 8, class: 'tick', 'text-anchor': 'end' }, fixed(hi, 2)),
    s('text', { x: PAD.l - 4, y: H - PAD.b, class: 'tick', 'text-anchor': 'end' }, fixed(lo, 2)),
    s('text', { x: W - PAD.r + 4, y: PAD.t + 8, class: 'tick temp' }, '1.0'),
    s('text', { x: W - PAD.r + 4, y: H - PAD.b, class: 'tick temp' }, '0'),
    s('text', { x: PAD.l, y: H - 3, class: 'legend' }, 'θ (rad)'),
    s('text', { x: W - PAD.r, y: H - 3, class: 'legend temp', 'text-anchor': 'end' }, 'temperature'),
  );
  if (n === 0) return svg;
  if (selected >= 0 && selected < n) svg.append(s('line', { x1: x(selected), x2: x(selected), y1: PAD.t, y2: H - PAD.b, class: 'cursor' }));
  svg.append(
    s('polyline', {
      points: line(
        traces.map((t) => t.temperature),
        yTemp,
      ),
      class: 'temp-line',
    }),
    s('polyline', { points: line(thetas, yTheta), class: 'theta-line' }),
  );
  traces.forEach((t, i) => {
    svg.append(
      s(
        'circle',
        { cx: x(i), cy: yTheta(t.theta), r: i === selected ? 4 : 2.5, class: i === selected ? 'pt on' : 'pt', 'data-index': i },
        s('title', {}, `${t.text}: θ ${fixed(t.theta, 4)}, T ${fixed(t.temperature, 3)}`),
      ),
    );
  });
  return svg;
}

/** The candidates of one decision as horizontal bars of sampling probability; the chosen one marked. */
export function candidateChart(trace: Trace): SVGElement {
  const rows = trace.candidates;
  const rowH = 16;
  const labelW = 90;
  const barW = W - labelW - 56;
  // Bars are scaled to the likeliest candidate (probabilities over ~100 candidates are small).
  const top = Math.max(...rows.map((c) => c.probability), 1e-12);
  const len = (p: number) => Math.max(1, (p / top) * barW);
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${rows.length * rowH + 4}`,
    'data-chart': 'candidates',
    role: 'img',
    'aria-label': `sampling probabilities of the ${rows.length} best candidates`,
  });
  rows.forEach((c, i) => {
    const y = i * rowH + 2;
    const chosen = c.token === trace.token;
    svg.append(
      s('text', { x: labelW - 4, y: y + 11, class: 'tick', 'text-anchor': 'end' }, c.text),
      s(
        'rect',
        { x: labelW, y: y + 2, width: len(c.probability).toFixed(1), height: rowH - 5, class: chosen ? 'bar chosen' : 'bar' },
        s('title', {}, `${c.text}: score ${fixed(c.score, 6)}, p ${fixed(c.probability, 4)}`),
      ),
      s('text', { x: labelW + len(c.probability) + 4, y: y + 11, class: 'tick' }, `${fixed(c.probability * 100, 1)}%`),
    );
  });
  return svg;
}
