import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BANDS, estimateJaccard, firstSameJob, isSameJob, NearDuplicateIndex, signOffer } from '../../ingest/near-duplicate.ts';
import type { Section } from '../../src/types.ts';

const MISSIONS = `- Run the on-call rotation for the payments platform and lead incident reviews
- Define service level objectives with the product teams and track the error budgets
- Automate failover drills for the ledger databases across two regions
- Build dashboards that show latency per customer segment and per release`;
const REQUIREMENTS = `- Five years operating Linux services in production at scale
- Terraform and Kubernetes in anger, including upgrades of live clusters
- Calm under pressure and clear in writing during incidents`;
const OTHER_MISSIONS = `- Design the public REST endpoints of the order service and version them
- Write database migrations for the catalogue and keep them reversible
- Review pull requests from the mobile team and mentor two junior developers
- Profile slow queries and fix the worst ones every sprint`;

function offer(title: string, missions: string, extra = '', role = 'SRE', seniority?: string) {
  const sections: Section[] = [
    { kind: 'company', text: 'Harbourline builds payment terminals for small shops.' },
    { kind: 'missions', text: `${missions}${extra}` },
    { kind: 'requirements', text: REQUIREMENTS },
  ];
  return { title, role, ...(seniority ? { seniority } : {}), sections, text: sections.map((s) => s.text).join('\n\n') };
}

describe('near-duplicate signatures', () => {
  it('finds a repost with another city and a line changed, and estimates its similarity high', () => {
    const berlin = signOffer(offer('Senior SRE - Berlin', MISSIONS, '\n- Relocation support to Berlin if you need it'));
    const lisbon = signOffer(offer('Senior SRE - Lisbon', MISSIONS, '\n- Relocation support to Lisbon, with a language course'));
    assert.ok(estimateJaccard(berlin.fingerprint, lisbon.fingerprint) > 0.7);
    assert.ok(isSameJob(berlin, lisbon));
    assert.ok(berlin.bandKeys.some((key) => lisbon.bandKeys.includes(key)), 'the repost shares a band, so a lookup finds it');
    assert.equal(berlin.bandKeys.length, 2 * BANDS);
  });

  it('keeps apart two jobs of one company, and the same text posted for two roles or levels', () => {
    const sre = signOffer(offer('Site Reliability Engineer', MISSIONS));
    assert.equal(isSameJob(sre, signOffer(offer('Backend Engineer', OTHER_MISSIONS, '', 'Backend Engineer'))), false);
    assert.equal(isSameJob(sre, signOffer(offer('Site Reliability Engineer', MISSIONS, '', 'Platform Engineer'))), false);
    assert.equal(isSameJob(signOffer(offer('Senior SRE', MISSIONS, '', 'SRE', 'senior')), signOffer(offer('Staff SRE', MISSIONS, '', 'SRE', 'staff'))), false);
    // Same text, but the titles share too few words to be the same job.
    assert.equal(isSameJob(sre, signOffer(offer('Database Administrator', MISSIONS))), false);
  });

  it('is deterministic and never matches a fingerprint of another format', () => {
    const a = signOffer(offer('SRE', MISSIONS));
    assert.deepEqual(signOffer(offer('SRE', MISSIONS)), a);
    assert.equal(estimateJaccard(a.fingerprint, 'da39a3ee5e6b4b0d3255bfef95601890afd80709'), 0);
  });

  it('an index returns the earliest offer of the job, never the offer itself', () => {
    const index = new NearDuplicateIndex();
    const first = signOffer(offer('SRE', MISSIONS, '\n- Based in Porto'));
    index.add('first', first);
    index.add('second', signOffer(offer('SRE', MISSIONS, '\n- Based in Braga')));
    index.add('other', signOffer(offer('Backend Engineer', OTHER_MISSIONS, '', 'Backend Engineer')));
    assert.equal(index.find(signOffer(offer('SRE', MISSIONS, '\n- Based in Faro'))), 'first');
    assert.equal(index.find(first, 'first'), 'second');
    assert.equal(index.find(signOffer(offer('Frontend Engineer', OTHER_MISSIONS.toUpperCase(), '', 'Frontend Engineer'))), undefined);
  });

  it('forgets a removed offer, and only it', () => {
    const index = new NearDuplicateIndex();
    index.add('first', signOffer(offer('SRE', MISSIONS, '\n- Based in Porto')));
    index.add('second', signOffer(offer('SRE', MISSIONS, '\n- Based in Braga')));
    const probe = signOffer(offer('SRE', MISSIONS, '\n- Based in Faro'));
    index.remove('first');
    assert.equal(index.find(probe), 'second');
    index.remove('second');
    index.remove('never added');
    assert.equal(index.find(probe), undefined);
  });

  it('picks the first recorded candidate that is the same job', () => {
    const signature = signOffer(offer('SRE', MISSIONS));
    const record = (offerId: string, title: string, missions: string) => ({ offerId, fingerprint: signOffer(offer(title, missions)).fingerprint, offer: { title, role: 'SRE' } });
    assert.equal(firstSameJob(signature, [record('x', 'SRE', OTHER_MISSIONS), record('y', 'SRE', MISSIONS), record('z', 'SRE', MISSIONS)]), 'y');
  });
});
