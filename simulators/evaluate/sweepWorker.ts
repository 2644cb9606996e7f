// A worker thread's share of a sweep (sweep.ts): its members simulated (or its patients, read
// from files) once and replayed at every point of the grid; results posted back as plain data.
import { parentPort, workerData } from 'node:worker_threads';
import { sweepWork, type SweepWork } from './sweep.js';

if (parentPort) parentPort.postMessage(sweepWork(workerData as SweepWork));
