import { candidateChart, thetaChart } from './charts.js';
import { fixed, h } from './dom.js';
import type { Trace } from './types.js';

const isSpecial = (piece: string) => piece.startsWith('[') && piece.endsWith(']');

/**
 * One assistant reply: its streamed text, split into clickable tokens where the traces line up
 * with it, and its look-inside view (θ chart, temperature, the selected token's candidates).
 */
export class ReplyView {
  readonly root: HTMLElement;
  readonly message: HTMLElement;
  private readonly inside: HTMLElement;
  private readonly details: HTMLElement;
  private readonly status: HTMLElement;
  text = '';
  readonly traces: Trace[] = [];
  selected = -1;
  private scheduled = false;

  constructor() {
    this.message = h('div', { class: 'msg', 'data-role': 'assistant' });
    this.status = h('p', { class: 'status' });
    this.details = h('div', { class: 'details' });
    this.inside = h('div', { class: 'inside' });
    this.root = h('article', { class: 'turn assistant' }, this.message, this.status, this.inside, this.details);
    this.root.addEventListener('click', (e) => {
      const target = (e.target as Element).closest('[data-index]');
      if (target) this.select(Number(target.getAttribute('data-index')));
    });
    this.root.addEventListener('keydown', (e) => {
      const target = (e.target as Element).closest('.tok');
      if (target && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        this.select(Number(target.getAttribute('data-index')));
      }
    });
  }

  addText(delta: string): void {
    this.text += delta;
    this.schedule();
  }

  addTrace(t: Trace): void {
    this.traces.push(t);
    this.schedule();
  }

  setStatus(text: string, kind: 'info' | 'error' = 'info'): void {
    this.status.textContent = text;
    this.status.className = `status ${kind}`;
  }

  select(i: number): void {
    if (!(i >= 0 && i < this.traces.length)) return;
    this.selected = i;
    this.render();
  }

  /**
   * Re-render at the next frame (a burst of chunks costs one render).
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  render(): void {
    this.renderText();
    this.inside.replaceChildren();
    if (this.traces.length > 0) {
      const last = this.traces[this.traces.length - 1]!;
      this.inside.append(
        thetaChart(this.traces, this.selected),
        h(
          'p',
          { class: 'temp-now' },
          `T ${fixed(last.temperature, 3)}`,
          h('br'),
          h('small', {}, `θ ${fixed(last.theta, 3)} rad`),
          h('br'),
          h('small', {}, `${this.traces.length} tokens`),
        ),
      );
    }
    this.renderDetails();
  }

  /**
   * The text with each traced token wrapped in a span. Decoding only changes spaces (WordPiece
   * joins "##" pieces, the clean-up drops spaces before punctuation), so each piece is found in
   * order with nothing but spaces before it; a token whose text has not arrived yet, or that
   * does not line up, ends the alignment (the rest is plain text). Special tokens ([SEP]) get
   * an empty marker whose label is CSS-only, so the element's text stays the reply's text.
   */
  private renderText(): void {
    const nodes: Array<Node | string> = [];
    let pos = 0;
    for (let i = 0; i < this.traces.length; i++) {
      const t = this.traces[i]!;
      const attrs = {
        class: `tok${i === this.selected ? ' on' : ''}`,
        'data-index': i,
        tabindex: 0,
        title: `token ${t.token} · state ${t.stateIndex} · θ ${fixed(t.theta, 4)}`,
      };
      if (isSpecial(t.text)) {
        nodes.push(h('span', { ...attrs, class: `${attrs.class} special`, 'data-label': t.text }));
        continue;
      }
      const piece = t.text.startsWith('##') ? t.text.slice(2) : t.text;
      const at = this.text.indexOf(piece, pos);
      if (at < 0 || this.text.slice(pos, at).trim() !== '') break;
      if (at > pos) nodes.push(this.text.slice(pos, at));
      nodes.push(h('span', attrs, piece));
      pos = at + piece.length;
    }
    if (pos < this.text.length) nodes.push(this.text.slice(pos));
    this.message.replaceChildren(...nodes);
  }

  private renderDetails(): void {
    const t = this.traces[this.selected];
    if (!t) {
      this.details.replaceChildren(this.traces.length ? h('p', { class: 'hint' }, 'Select a token (click it) to look inside its choice.') : '');
      return;
    }
    const fact = (name: string, field: string, value: string) => h('div', {}, h('dt', {}, name), h('dd', { 'data-field': field }, value));
    const head = h(
      'dl',
      { class: 'facts' },
      fact('token', 'token', `${t.text} (${t.token})`),
      fact('state before', 'stateIndex', String(t.stateIndex)),
      fact('representative', 'rep', String(t.rep)),
      // A state-addressed store keys candidates by the state itself (what `gyro explain` calls rep).
      t.context !== t.rep ? fact('store key (state)', 'context', String(t.context)) : '',
      fact('orbit size', 'orbitSize', String(t.orbitSize)),
      fact('θ', 'theta', `${fixed(t.theta, 4)} rad`),
      fact('temperature', 'temperature', fixed(t.temperature, 4)),
      fact('rank chosen', 'chosenRank', t.fallback ? 'random (no candidates)' : `${t.chosenRank + 1} of ${t.candidateCount}${t.complete ? '' : '+'}`),
    );
    const cols = ['rank', 'token', 'text', 'conf', 'exon product', 'resonance', 'orbit factor', 'uniqueness', 'score', 'p'];
    // The best candidates in rank order, then the chosen one when it ranked below them.
    const rank = (c: { token: number }, k: number) => (c.token === t.token ? t.chosenRank + 1 : k + 1);
    const table = h(
      'table',
      { class: 'candidates' },
      h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        ...t.candidates.map((c, k) =>
          h(
            'tr',
            { class: c.token === t.token ? 'chosen' : '', 'data-token': c.token },
            h('td', {}, String(rank(c, k))),
            h('td', { 'data-field': 'token' }, String(c.token)),
            h('td', { 'data-field': 'text' }, c.text),
            h('td', { 'data-field': 'conf' }, fixed(c.conf, 4)),
            h('td', { 'data-field': 'exonProduct' }, String(c.exonProduct)),
            h('td', { 'data-field': 'resonance' }, fixed(c.resonance, 6)),
            h('td', { 'data-field': 'orbitFactor' }, fixed(c.orbitFactor, 6)),
            h('td', { 'data-field': 'uniqueness' }, fixed(c.uniqueness, 6)),
            h('td', { 'data-field': 'score' }, fixed(c.score, 6)),
            h('td', { 'data-field': 'probability' }, fixed(c.probability, 4)),
          ),
        ),
      ),
    );
    this.details.replaceChildren(
      h('h3', {}, `Inside token ${this.selected + 1}`),
      head,
      t.candidates.length ? candidateChart(t) : h('p', { class: 'hint' }, 'This state had no candidates: the token was drawn at random.'),
      t.candidates.length ? h('div', { class: 'scroll' }, table) : '',
    );
  }
}
