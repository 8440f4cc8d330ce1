import { resolveConfig, type ConfigFlags } from '../config.ts';
import { ExitCode } from '../errors.ts';
import { processOutput, type Output } from '../output.ts';
import { injected, openWorkspace, type WorkspaceInjection } from '../workspace.ts';

export interface ExportOptions extends ConfigFlags, WorkspaceInjection {
  includeRemoved?: boolean;
  output?: Output;
}

/** Lines written between two waits for stdout (Output.drain). */
const DRAIN_EVERY = 100;

/** `offers export`: every indexed offer as one JSON line, with the text that quotes are cut from. */
export async function exportOffers(options: ExportOptions): Promise<ExitCode> {
  const output = options.output ?? processOutput;
  const workspace = await openWorkspace(resolveConfig(options), { log: output.info, access: { mode: 'read', command: 'export' }, ...injected(options) });
  try {
    const status = options.includeRemoved ? undefined : (['active'] as const);
    let i = 0;
    for (const record of workspace.records.listOffers(status ? { status: [...status] } : {})) {
      // Now and then: a slow reader holds the lines back, a closed pipe ends the export.
      if (i++ > 0 && i % DRAIN_EVERY === 0) await output.drain?.();
      const { offer } = record;
      output.result(
        JSON.stringify({
          offerId: offer.offerId,
          role: offer.role,
          seniority: offer.seniority,
          specialisation: offer.specialisation,
          title: offer.title,
          company: offer.company,
          location: offer.location,
          source: offer.source,
          url: offer.url,
          language: offer.language,
          datePosted: offer.datePosted,
          family: offer.family,
          familyLabel: offer.familyLabel,
          workplace: offer.workplace,
          facts: offer.facts,
          validThrough: offer.validThrough,
          status: record.status,
          canonicalId: record.canonicalId,
          sections: offer.sections.map((s) => ({ kind: s.kind, heading: s.heading, text: s.text })),
          text: offer.text,
        }),
      );
    }
  } finally {
    await workspace.close();
  }
  return ExitCode.ok;
}
