import { h } from './dom.js';
import { ReplyView } from './reply.js';
import { RequestError, streamChat } from './sse.js';

/**
 * The chat page: talk to the served model over its own OpenAI API (streamed, with the gyro
 * trace), look inside each reply. Plain DOM, no framework: the whole page is a few kilobytes.
 */
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const log = $<HTMLElement>('log');
const form = $<HTMLFormElement>('composer');
const input = $<HTMLTextAreaElement>('input');
const sendButton = $<HTMLButtonElement>('send');
const stopButton = $<HTMLButtonElement>('stop');
const settings = $<HTMLDetailsElement>('settings');
const seedInput = $<HTMLInputElement>('seed');
const maxTokensInput = $<HTMLInputElement>('max-tokens');
const keyInput = $<HTMLInputElement>('api-key');
const keyNote = $<HTMLElement>('key-note');
const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';
const model = meta('gyro-model') || 'gyrosi-baby';
/** The server says whether its API needs a key (written into the page when it is served). */
const keyRequired = meta('gyro-auth') === 'required';

/** Every reply's traces, in order: a script interface (tests read the state behind each token). */
const replies: unknown[][] = [];
(window as unknown as { gyroTraces: unknown[][] }).gyroTraces = replies;

/** Settings live in the browser's local storage (the API key included: it never leaves this origin). */
const stored = (key: string) => {
  try {
    return localStorage.getItem(`gyro.${key}`) ?? '';
  } catch {
    return '';
  }
};
const store = (key: string, value: string) => {
  try {
    if (value) localStorage.setItem(`gyro.${key}`, value);
    else localStorage.removeItem(`gyro.${key}`);
  } catch {
    // storage disabled: the setting lasts for this page only
  }
};
for (const [el, key] of [
  [seedInput, 'seed'],
  [maxTokensInput, 'maxTokens'],
  [keyInput, 'apiKey'],
] as const) {
  el.value = stored(key);
  el.addEventListener('change', () => store(key, el.value.trim()));
}

/** A conversation is one `user` id on the server: its agents remember what was said. */
const newUserId = () => `web-${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
let user = newUserId();
let running: AbortController | undefined;

function setRunning(on: boolean): void {
  sendButton.disabled = on;
  stopButton.disabled = !on;
  document.body.classList.toggle('busy', on);
}

function intSetting(el: HTMLInputElement): number | undefined {
  const v = el.value.trim();
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

function askForKey(note: string): void {
  keyNote.textContent = note;
  settings.open = true;
  keyInput.focus();
}

async function send(text: string): Promise<void> {
  if (running || text.trim() === '') return;
  log.append(h('article', { class: 'turn user' }, h('div', { class: 'msg', 'data-role': 'user' }, text)));
  const reply = new ReplyView();
  replies.push(reply.traces);
  log.append(reply.root);
  reply.setStatus('…');
  reply.root.scrollIntoView({ block: 'end' });
  const controller = new AbortController();
  running = controller;
  setRunning(true);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const key = keyInput.value.trim();
  if (key) headers.authorization = `Bearer ${key}`;
  const seed = intSetting(seedInput);
  const maxTokens = intSetting(maxTokensInput);
  const body = {
    model,
    user,
    stream: true,
    gyro: { trace: true },
    // The server keeps the conversation (its agents learn every turn): only the new message is sent.
    messages: [{ role: 'user', content: text }],
    ...(seed !== undefined ? { seed } : {}),
    ...(maxTokens !== undefined && maxTokens > 0 ? { max_tokens: maxTokens } : {}),
  };
  try {
    let finish = '';
    await streamChat('/v1/chat/completions', headers, body, controller.signal, {
      onText: (t) => reply.addText(t),
      onTrace: (t) => reply.addTrace(t),
      onFinish: (r) => (finish = r),
    });
    reply.setStatus(finish === 'length' ? 'stopped at the max-tokens setting' : '');
    keyNote.textContent = '';
  } catch (err) {
    if (controller.signal.aborted) {
      reply.setStatus('stopped');
    } else if (err instanceof RequestError && err.status === 401) {
      reply.setStatus(`The server refused the API key: ${err.message}`, 'error');
      askForKey('The server refused this API key: enter the right one, then send again.');
    } else {
      reply.setStatus(err instanceof Error ? err.message : String(err), 'error');
    }
  } finally {
    reply.render();
    if (reply.traces.length > 0 && reply.selected < 0) reply.select(reply.traces.length - 1);
    running = undefined;
    setRunning(false);
    if (document.activeElement !== keyInput) input.focus();
  }
}

/** Send what the box holds (the form's submit, Enter, and a ?q= link). */
function submitInput(): void {
  const text = input.value;
  if (running || text.trim() === '') return;
  if (keyRequired && keyInput.value.trim() === '') {
    askForKey('This server needs an API key: enter it here, then send again.');
    return;
  }
  input.value = '';
  void send(text);
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  submitInput();
});
input.addEventListener('keydown', (e) => {
  // Enter sends, Shift+Enter breaks the line; an IME composition keeps its Enter.
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    submitInput();
  }
});
stopButton.addEventListener('click', () => running?.abort());
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && running) running.abort();
});
$<HTMLButtonElement>('new').addEventListener('click', () => {
  running?.abort();
  user = newUserId();
  log.replaceChildren();
  input.focus();
});

// A shareable link: /?q=TEXT fills the box and sends it once.
const q = new URLSearchParams(location.search).get('q');
if (q) {
  history.replaceState(null, '', location.pathname);
  input.value = q;
  submitInput();
} else if (keyRequired && keyInput.value.trim() === '') {
  askForKey('This server needs an API key: enter it here.');
} else {
  input.focus();
}
