// A job's Server-Sent Events read with fetch(): EventSource cannot send the Authorization header.
import { request, TERMINAL } from './api.js';

/** Splits a text/event-stream into messages {id, event, data}; `feed` takes decoded chunks. */
export class SseParser {
  constructor(onMessage) {
    this.onMessage = onMessage;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.data = [];
    this.event = 'message';
    this.id = null;
  }

  feed(chunk) {
    this.buffer += chunk;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop(); // an unfinished line waits for the next chunk
    for (const line of lines) this.line(line);
  }

  line(line) {
    if (line === '') {
      if (this.data.length) this.onMessage({ id: this.id, event: this.event, data: this.data.join('\n') });
      this.reset();
      return;
    }
    if (line.startsWith(':')) return; // a comment or heartbeat
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') this.data.push(value);
    else if (name === 'event') this.event = value;
    else if (name === 'id') this.id = value;
  }
}

/**
 * Calls onEvent(event) for every event of the job ({id, job_id, kind, data, created_at}), replayed
 * from the start, then live, until a terminal status; reconnects after a dropped connection from
 * the last event seen. Resolves when the job is over or the signal aborts.
 */
export async function followJob(jobId, onEvent, signal, { retries = 5 } = {}) {
  let lastId = 0;
  let failures = 0;
  while (!signal.aborted) {
    let finished = false;
    try {
      const res = await request(`/v1/jobs/${jobId}/events`, {
        headers: { Accept: 'text/event-stream', 'Last-Event-ID': String(lastId) }, signal,
      });
      const parser = new SseParser((m) => {
        const event = JSON.parse(m.data);
        lastId = Math.max(lastId, Number(event.id));
        failures = 0;
        if (event.kind === 'status' && TERMINAL.has(event.data?.status)) finished = true;
        onEvent(event);
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
      parser.feed('\n\n');
    } catch (e) {
      if (signal.aborted || e.name === 'AbortError') return;
      if ((e.status && e.status < 500) || ++failures > retries) throw e;
    }
    if (finished) return;
    await new Promise((resolve) => setTimeout(resolve, 1000 * Math.max(1, failures)));
  }
}
