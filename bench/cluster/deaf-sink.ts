/**
 * Where the bench's online users "listen": a UDP socket bound in a worker thread that never reads it (its event loop
 * sleeps in `Atomics.wait`), with a small receive buffer. The kernel drops what the buffer cannot hold, after the
 * sending server has paid for the send; the sink itself costs no CPU. On a machine of few cores this matters: a sink
 * that reads 30,000 datagrams per login would take the cores the servers are measured on (real peers read on
 * machines of their own).
 * @module
 */
import { Worker } from 'node:worker_threads';

/** The deaf sink: its loopback port, and `close()` (wakes the worker, which closes the socket and exits). */
export interface DeafSink {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts a deaf sink. */
export const startDeafSink = async (): Promise<DeafSink> => {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const socket = require('node:dgram').createSocket('udp4');
     socket.bind(0, '127.0.0.1', () => {
       try { socket.setRecvBufferSize(64 * 1024); } catch {}
       parentPort.postMessage({ port: socket.address().port });
       // Never return to the event loop until told: nothing is read.
       while (Atomics.load(workerData, 0) === 0) Atomics.wait(workerData, 0, 0, 200);
       socket.close(() => process.exit(0));
     });`,
    { eval: true, workerData: stop },
  );
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  let closed: Promise<void> | undefined;
  return {
    port,
    close: () =>
      (closed ??= (async () => {
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        Atomics.store(stop, 0, 1);
        Atomics.notify(stop, 0);
        await exited;
      })()),
  };
};
