#!/usr/bin/env node
// A scripted stand-in for a model: an OpenAI-compatible /v1/chat/completions server on
// loopback that answers every turn with one short final reply, and appends each request it
// got to a JSON-lines file, so a test can see what prompts an OpenClaw agent run sent.
// Usage: node stand-in-model.mjs PORT_FILE REQUESTS_FILE
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [portFile, requestsFile] = process.argv.slice(2);
const REPLY = 'Noted.';

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'stand-in', object: 'model' }] }));
      return;
    }
    let body = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      // Recorded as empty: the test sees a malformed request as one without the frame.
    }
    appendFileSync(requestsFile, JSON.stringify({ url: req.url, body }) + '\n');
    const id = `chatcmpl-${Date.now()}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    if (!body.stream) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: 'stand-in',
          choices: [
            { index: 0, message: { role: 'assistant', content: REPLY }, finish_reason: 'stop' },
          ],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const send = (choice, extra = {}) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: 'stand-in', choices: [choice], ...extra })}\n\n`,
      );
    send({ index: 0, delta: { role: 'assistant', content: REPLY }, finish_reason: null });
    send({ index: 0, delta: {}, finish_reason: 'stop' }, { usage });
    res.end('data: [DONE]\n\n');
  });
});

server.listen(0, '127.0.0.1', () => {
  writeFileSync(portFile, String(server.address().port));
});
