/**
 * PDF text extraction in a worker thread (pdf-worker.mjs) with a hard time limit. pdf.js runs
 * whole pages synchronously, so a time budget checked between pages can't stop a page that never
 * ends; terminating the thread can. Memory is bounded the same way: the thread's heap has a
 * ceiling, but pdf.js inflates streams into ArrayBuffers, which no heap ceiling covers (a 1 MB
 * PDF inflating to 1 GiB took the process to 2 GB), so the process's RSS is watched while the
 * thread works, and the thread is terminated when it has grown by more than a budget. Either way
 * the file gets a SourceError, not the ingest. The text the thread sends back is capped too.
 *
 * One idle thread is kept warm between PDFs (loading pdf.js costs ~0.5 s) and unref'd, so it
 * never keeps a finished process alive.
 */
import type { Worker } from 'node:worker_threads';
import { plainWorker } from '../../src/util/worker.ts';
import { SourceError } from '../../src/errors.ts';

export interface PdfText {
  title?: string;
  language?: string;
  text: string;
}

export interface ExtractOptions {
  maxPages: number;
  timeoutMs: number;
  /** Text past this many characters is not extracted (nor copied back from the thread). */
  maxChars: number;
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
const WORKER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };
/** How much the process may grow (RSS) while the thread reads one PDF. */
const MEMORY_BUDGET_MB = 256;
/** How often the RSS is read while a PDF is parsed: pdf.js inflates ~200 MB/s, so ~10 MB between reads. */
const MEMORY_POLL_MS = 25;
const MB = 1024 * 1024;

let idle: Worker | undefined;
let nextId = 0;

function takeWorker(): Worker {
  const worker = idle ?? plainWorker(WORKER_URL, { resourceLimits: WORKER_LIMITS });
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
  const tooMuchMemory = (limit: string, cause?: unknown) =>
    new SourceError(source, `PDF needs more than ${limit} of memory to read (a decompression bomb?)`, { cause });
  return new Promise<PdfText>((resolve, reject) => {
    const settle = (keepWorker: boolean) => {
      clearTimeout(timer);
      clearInterval(watch);
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
      reject(outOfMemory ? tooMuchMemory(`${WORKER_LIMITS.maxOldGenerationSizeMb} MB`, error) : new SourceError(source, `PDF reader crashed: ${error.message}`, { cause: error }));
    };
    const onExit = (code: number) => {
      settle(false);
      reject(new SourceError(source, `PDF reader stopped unexpectedly (exit code ${code})`));
    };
    const timer = setTimeout(() => {
      settle(false);
      reject(new SourceError(source, `PDF parsing timed out after ${Math.round(options.timeoutMs / 100) / 10} s`));
    }, options.timeoutMs);
    const baseline = process.memoryUsage.rss();
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() - baseline <= MEMORY_BUDGET_MB * MB) return;
      settle(false);
      reject(tooMuchMemory(`${MEMORY_BUDGET_MB} MB`));
    }, MEMORY_POLL_MS);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    // A copy, transferred: pdf.js detaches the buffer it is given, and the caller keeps its own.
    const copy = bytes.slice();
    worker.postMessage({ id, bytes: copy, maxPages: options.maxPages, maxChars: options.maxChars }, [copy.buffer]);
  });
}
