// Raw HTTP over a TCP socket, for what fetch cannot send: malformed requests, oversized
// headers, bodies that trickle or stall, connections held open.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: string;
  body: string;
  /** The socket error, when the server reset the connection instead of answering. */
  error: string | undefined;
  ms: number;
}

function parse(text: string, error: string | undefined, ms: number): RawResponse {
  const head = text.indexOf('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  return { status, headers: head < 0 ? text : text.slice(0, head), body: head < 0 ? '' : text.slice(head + 4), error, ms };
}

/**
 * Send `head` (and then `trickle` one byte every `everyMs`, until the server closes), read until
 * the server closes the connection.
 */
export function rawRequest(port: number, head: string, opts: { trickle?: boolean; everyMs?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let error: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      clearInterval(timer);
      resolve(parse(text, error, performance.now() - t0));
    });
    socket.write(head);
    if (opts.trickle) timer = setInterval(() => socket.writable && socket.write('x'), opts.everyMs ?? 200);
  });
}

/** A kept-alive connection that has completed one GET: holds a connection slot open. */
export function openConnection(port: number, path = '/health'): Promise<{ socket: Socket; status: number; error: string | undefined }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let error: string | undefined;
    const done = () => resolve({ socket, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), error });
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\r\n\r\n')) done();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', done);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
  });
}
