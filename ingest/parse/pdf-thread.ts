/**
 * PDF text extraction in a worker thread (pdf-worker.mjs) with a hard time limit. pdf.js runs
 * whole pages synchronously, so a time budget checked between pages can't stop a page that never
 * ends; terminating the thread can. The thread also has a heap ceiling, so a stream that inflates
 * to gigabytes ends that thread (a SourceError for the file), not the ingest.
 *
 * One idle thread is kept warm between PDFs (loading pdf.js costs ~0.5 s) and unref'd, so it
 * never keeps a finished process alive.
 */
import { Worker } from 'node:worker_threads';
import { SourceError } from '../../src/errors.ts';

export interface PdfText {
  title?: string;
  language?: string;
  text: string;
}

export interface ExtractOptions {
  maxPages: number;
  timeoutMs: number;
}

/** What the worker reports when pdf.js throws: the name tells corrupt from encrypted. */
export class PdfJsError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

type Reply = { id: number; error: { name: string; message: string } } | ({ id: number } & PdfText);

const WORKER_URL = new URL('./pdf-worker.mjs', import.meta.url);
/** Text extraction needs little heap; a decompression bomb needs a lot. */
const WORKER_HEAP_MB = 128;

let idle: Worker | undefined;
let nextId = 0;

function takeWorker(): Worker {
  const worker = idle ?? new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  idle = undefined;
  worker.ref();
  return worker;
}

function giveBack(worker: Worker): void {
  worker.unref();
  if (idle) void worker.terminate();
  else idle = worker;
}

/** Text of the first `maxPages` pages; rejects with a SourceError on timeout or a crashed thread, PdfJsError when pdf.js refuses the file. */
export function extractPdfText(bytes: Uint8Array, source: string, options: ExtractOptions): Promise<PdfText> {
  const worker = takeWorker();
  const id = nextId++;
  return new Promise<PdfText>((resolve, reject) => {
    const settle = (keepWorker: boolean) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (keepWorker) giveBack(worker);
      else void worker.terminate();
    };
    const onMessage = (reply: Reply) => {
      if (reply.id !== id) return;
      settle(true);
      if ('error' in reply) reject(new PdfJsError(reply.error.name, reply.error.message));
      else resolve({ text: reply.text, ...(reply.title ? { title: reply.title } : {}), ...(reply.language ? { language: reply.language } : {}) });
    };
    const onError = (error: Error) => {
      settle(false);
      const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      reject(new SourceError(source, outOfMemory ? `PDF needs more than ${WORKER_HEAP_MB} MB of memory to read (a decompression bomb?)` : `PDF reader crashed: ${error.message}`, { cause: error }));
    };
    const onExit = (code: number) => {
      settle(false);
      reject(new SourceError(source, `PDF reader stopped unexpectedly (exit code ${code})`));
    };
    const timer = setTimeout(() => {
      settle(false);
      reject(new SourceError(source, `PDF parsing timed out after ${Math.round(options.timeoutMs / 100) / 10} s`));
    }, options.timeoutMs);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    // A copy, transferred: pdf.js detaches the buffer it is given, and the caller keeps its own.
    const copy = bytes.slice();
    worker.postMessage({ id, bytes: copy, maxPages: options.maxPages }, [copy.buffer]);
  });
}
