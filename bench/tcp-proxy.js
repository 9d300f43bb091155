'use strict';
// A TCP proxy that adds latency or stops passing bytes without closing anything: how a
// database looks to the bridge across a slow network, or one that silently dropped (no
// reset, no FIN). Used by `npm run bench` for the PostgreSQL rows and by the tests.
const net = require('node:net');

class TcpProxy {
  /** @param {{ host: string, port: number }} target @param {number} [delayMs] */
  constructor(target, delayMs = 0) {
    this.target = target;
    this.delayMs = delayMs;
    this.stalled = false;
    /** Chunks held while stalled, in arrival order, each with the socket it goes to. */
    this.held = [];
    this.sockets = new Set();
    this.server = net.createServer((client) => this.pair(client));
  }

  /** Listens on an ephemeral loopback port; resolves with it. */
  listen() {
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () => resolve(this.server.address().port));
    });
  }

  /** Bytes stop flowing both ways, connections stay open, new ones are accepted and hang. */
  stall() {
    this.stalled = true;
  }

  /** Bytes flow again, the held ones first. */
  resume() {
    this.stalled = false;
    for (const [socket, chunk] of this.held.splice(0)) this.deliver(socket, chunk);
  }

  close() {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  pair(client) {
    const upstream = net.connect(this.target.port, this.target.host);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ]) {
      this.sockets.add(from);
      from.on('data', (chunk) => this.forward(to, chunk));
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => to.destroy());
    }
  }

  forward(socket, chunk) {
    if (this.stalled) this.held.push([socket, chunk]);
    else this.deliver(socket, chunk);
  }

  deliver(socket, chunk) {
    // Timers of one delay fire in the order they were set, so bytes keep their order.
    if (this.delayMs > 0) setTimeout(() => socket.destroyed || socket.write(chunk), this.delayMs);
    else if (!socket.destroyed) socket.write(chunk);
  }
}

module.exports = { TcpProxy };
