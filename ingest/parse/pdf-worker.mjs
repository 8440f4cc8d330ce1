/**
 * The PDF worker thread (see pdf.ts): runs pdf.js away from the main thread, so that a PDF that
 * keeps pdf.js busy inside one page, or inflates a stream past the thread's heap limit, is stopped
 * by terminating the thread instead of stalling or sinking the whole ingest.
 *
 * Plain JavaScript on purpose: a TypeScript worker needs tsx's loader registered inside the
 * thread, which took 0.7–1.2 s per thread start here, against 0.15 s for this file.
 *
 * Protocol: { id, bytes, maxPages, maxChars } in; { id, title?, language?, text } or { id, error: { name, message } } out.
 * Pages are read until `maxChars` characters of text: what is past them is never read, nor copied
 * back to the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { PDFParse } from 'pdf-parse';

/** @param {unknown} value */
const stringOrUndefined = (value) => (typeof value === 'string' ? value : undefined);

/** @param {{ id: number, bytes: Uint8Array, maxPages: number, maxChars: number }} request */
async function extract({ id, bytes, maxPages, maxChars }) {
  const parser = new PDFParse({ data: bytes });
  try {
    const { info, total } = await parser.getInfo();
    const pages = [];
    let chars = 0;
    for (let page = 1; page <= Math.min(total, maxPages) && chars < maxChars; page += 1) {
      const { text } = await parser.getText({ partial: [page], pageJoiner: '' });
      pages.push(text);
      chars += text.length + 1;
    }
    // Only the fields pdf.ts reads: the info dictionary may hold values that can't be cloned.
    return { id, title: stringOrUndefined(info?.Title), language: stringOrUndefined(info?.Language), text: pages.join('\n').slice(0, maxChars) };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    return { id, error: { name, message } };
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

parentPort?.on('message', async (request) => {
  parentPort?.postMessage(await extract(request));
});
