import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticOffer } from './synthetic-offers.ts';

/**
 * Writes a seeded synthetic corpus of Markdown offers (see synthetic-offers.ts):
 *   node --import tsx scripts/generate-offers.ts --count 10000 --seed 1 --out /tmp/offers-10k
 */
export async function generateOffers(dir: string, count: number, seed: number | string = 1): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const offer = syntheticOffer(i, seed);
    const file = path.join(dir, offer.name);
    await writeFile(file, offer.text);
    files.push(file);
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } } });
  const count = Number(values.count);
  if (!values.out || !Number.isInteger(count) || count <= 0) {
    console.error('usage: node --import tsx scripts/generate-offers.ts --count N [--seed S] --out DIR');
    process.exit(2);
  }
  await generateOffers(values.out, count, values.seed);
  console.error(`wrote ${count} offers to ${values.out}`);
}
