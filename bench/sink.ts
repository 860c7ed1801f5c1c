/**
 * A UDP sink in a worker thread: it reads and counts datagrams off the benchmark's event loop, so that the users a
 * server fans out to cost the server nothing but its sends.
 * @module
 */
import { Worker } from 'node:worker_threads';

/** A UDP socket in a worker thread that counts what it receives, so the fan-out's receiver is off our event loop. */
export const startSink = async (): Promise<{ port: number; received: () => Promise<number>; close: () => Promise<void> }> => {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const socket = require('node:dgram').createSocket('udp4');
     let received = 0;
     socket.on('message', () => { received++; });
     socket.bind(0, '127.0.0.1', () => {
       try { socket.setRecvBufferSize(16 * 1024 * 1024); } catch {}
       parentPort.postMessage({ port: socket.address().port });
     });
     parentPort.on('message', (m) => {
       if (m === 'count') parentPort.postMessage({ received });
       else socket.close(() => process.exit(0));
     });`,
    { eval: true },
  );
  const next = <T>(): Promise<T> => new Promise((resolve) => worker.once('message', resolve));
  const { port } = await next<{ port: number }>();
  return {
    port,
    received: async () => {
      worker.postMessage('count');
      return (await next<{ received: number }>()).received;
    },
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
};

