import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectLanguage, resolveLanguage } from '../../ingest/language.ts';

describe('detectLanguage', () => {
  const short: Array<[string, string]> = [
    ['We are hiring an engineer for the night shift.', 'en'],
    ['Nous recrutons une ingénieure pour notre équipe.', 'fr'],
    ['Wir suchen eine Entwicklerin für unser Team.', 'de'],
    ['Buscamos una ingeniera para nuestro equipo.', 'es'],
    ['Procuramos uma engenheira para a nossa equipe.', 'pt'],
    ['Wij zoeken een engineer voor ons team.', 'nl'],
    ['Cerchiamo una ingegnera per il nostro gruppo.', 'it'],
  ];
  for (const [text, expected] of short) {
    it(`short ${expected}: "${text}"`, () => assert.equal(detectLanguage(text), expected));
  }

  it('recognises longer English and French offers', () => {
    const english = `You will own the reliability of the checkout service. With the rest of the team you will
      define what good looks like, build the dashboards that show it and be on call one week in six.
      We would like you to have run Kubernetes in production and to be comfortable with Terraform.`;
    const french = `Vous serez responsable de la fiabilité du service de paiement. Avec le reste de l'équipe,
      vous définirez les objectifs de service, construirez les tableaux de bord et participerez aux astreintes.
      Une expérience de Kubernetes en production est attendue, ainsi qu'une bonne maîtrise de Terraform.`;
    assert.equal(detectLanguage(english), 'en');
    assert.equal(detectLanguage(french), 'fr');
  });

  it('recognises longer German and Spanish texts', () => {
    const german = `Du bist Teil eines kleinen Teams, das die Plattform für unsere Kunden betreibt. Wir erwarten
      Erfahrung mit Linux und Kenntnisse in der Automatisierung, und du wirst auch Bereitschaftsdienste übernehmen.`;
    const spanish = `Serás parte de un equipo pequeño que opera la plataforma para nuestros clientes. Esperamos
      experiencia con Linux y con la automatización de la infraestructura, y también guardias de fin de semana.`;
    assert.equal(detectLanguage(german), 'de');
    assert.equal(detectLanguage(spanish), 'es');
  });

  it('follows the majority in a text that mixes languages', () => {
    const mostlyEnglish = `The team runs the platform for the whole company and you will join it as the second engineer.
      Le poste est ouvert.`;
    assert.equal(detectLanguage(mostlyEnglish), 'en');
  });

  it('returns und for empty, tiny or language-less input', () => {
    assert.equal(detectLanguage(''), 'und');
    assert.equal(detectLanguage('Kubernetes'), 'und');
    assert.equal(detectLanguage('AWS, GCP, K8s — 2024/05/01 — 120k€'), 'und');
  });
});

describe('resolveLanguage', () => {
  const french = `Vous serez responsable de la fiabilité du service de paiement. Avec le reste de l'équipe,
    vous définirez les objectifs de service, construirez les tableaux de bord et participerez aux astreintes.
    Une expérience de Kubernetes en production est attendue, ainsi qu'une bonne maîtrise de Terraform.`;
  const english = `You will own the reliability of the checkout service. With the rest of the team you will
    define what good looks like, build the dashboards that show it and be on call one week in six.`;

  it('lets an offer\'s own text overrule a declaration it plainly contradicts (a template\'s lang="en")', () => {
    assert.equal(resolveLanguage('en', french), 'fr');
    assert.equal(resolveLanguage('fr', english), 'en');
  });

  it('keeps a declaration that the text agrees with, or is too short or too mixed to contradict', () => {
    assert.equal(resolveLanguage('fr', french), 'fr');
    assert.equal(resolveLanguage('en', 'Nous recrutons une ingénieure pour notre équipe.'), 'en');
    assert.equal(resolveLanguage('en', `${english} ${french}`), 'en');
    assert.equal(resolveLanguage('en', 'Kubernetes, Terraform, AWS'), 'en');
  });

  it('keeps a declared language the detector does not know, and detects when nothing is declared', () => {
    assert.equal(resolveLanguage('sv', 'Vi söker en ingenjör till vårt team i Göteborg och du kommer att arbeta med drift.'), 'sv');
    assert.equal(resolveLanguage(undefined, french), 'fr');
    assert.equal(resolveLanguage(undefined, ''), 'und');
  });
});
