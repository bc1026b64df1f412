/**
 * A minimal WebSocket client (RFC 6455: text frames, ping/pong, close) over
 * node:http, for tests that talk to Jupyter's kernel channels: Node 20 has no
 * WebSocket of its own, and the project does not depend on a WebSocket package.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

export interface TextSocket {
  send(text: string): void;
  /** Called with each whole text message. */
  onMessage(listener: (text: string) => void): void;
  /** Resolves when the connection ends, with why. */
  closed: Promise<string>;
  close(): void;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export function openWebSocket(url: string, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<TextSocket> {
  const target = new URL(url.replace(/^ws/, 'http'));
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request(target, {
      headers: { ...headers, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key },
      timeout: timeoutMs,
    });
    req.once('timeout', () => req.destroy(new Error(`WebSocket ${url}: no answer within ${timeoutMs} ms`)));
    req.once('error', reject);
    req.once('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => reject(new Error(`WebSocket ${url}: HTTP ${res.statusCode} instead of an upgrade: ${body.slice(0, 500)}`)));
    });
    req.once('upgrade', (res, socket, head) => {
      const accept = createHash('sha1')
        .update(key + GUID)
        .digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) {
        socket.destroy();
        reject(new Error(`WebSocket ${url}: wrong Sec-WebSocket-Accept`));
        return;
      }
      resolve(frames(socket, head));
    });
    req.end();
  });
}

function frames(socket: Socket, head: Buffer): TextSocket {
  const listeners: ((text: string) => void)[] = [];
  let buffer = head;
  let parts: Buffer[] = [];
  let resolveClosed: (why: string) => void = () => undefined;
  const closed = new Promise<string>((resolve) => (resolveClosed = resolve));

  const write = (opcode: number, payload: Buffer): void => {
    const mask = randomBytes(4);
    const length = payload.length;
    const header =
      length < 126
        ? Buffer.from([0x80 | opcode, 0x80 | length])
        : length < 65536
          ? Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff])
          : Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | 127]), bigLength(length)]);
    const masked = Buffer.alloc(length);
    for (let i = 0; i < length; i++) masked[i] = payload[i]! ^ mask[i % 4]!;
    socket.write(Buffer.concat([header, mask, masked]));
  };

  const parse = (): void => {
    for (;;) {
      if (buffer.length < 2) return;
      const fin = (buffer[0]! & 0x80) !== 0;
      const opcode = buffer[0]! & 0x0f;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + length) return;
      const payload = buffer.subarray(offset, offset + length);
      buffer = buffer.subarray(offset + length);
      if (opcode === OP.ping) write(OP.pong, payload);
      else if (opcode === OP.close) {
        socket.end();
        resolveClosed(`closed by the server (${payload.length >= 2 ? payload.readUInt16BE(0) : 'no code'})`);
      } else if (opcode === OP.text || opcode === OP.binary || opcode === OP.continuation) {
        parts.push(Buffer.from(payload));
        if (fin) {
          const message = Buffer.concat(parts);
          parts = [];
          if (opcode !== OP.binary) for (const listener of listeners) listener(message.toString('utf8'));
        }
      }
    }
  };

  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    parse();
  });
  socket.once('close', () => resolveClosed('connection closed'));
  socket.once('error', (error) => resolveClosed(`connection error: ${error.message}`));
  queueMicrotask(parse);
  return {
    send: (text) => write(OP.text, Buffer.from(text, 'utf8')),
    onMessage: (listener) => listeners.push(listener),
    closed,
    close: () => {
      write(OP.close, Buffer.from([0x03, 0xe8]));
      socket.end();
    },
  };
}

function bigLength(length: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(length));
  return out;
}
