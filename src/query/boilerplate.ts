import { foldText } from '../catalog/normalize.ts';

/**
 * Sentences every employer writes whatever the job: equal-opportunity statements, privacy
 * notices, how to apply, vaccination rules, job-board hashtags. They say nothing about the job,
 * so they are neither mined for phrases nor quoted. English and French; matched on folded lower
 * case. A pattern names a kind of statement, never an employer's wording.
 */
const BOILERPLATE: readonly RegExp[] = [
  /\bequal (?:employment )?opportunit/,
  /\b(?:eeo|eoe|affirmative action)\b/,
  /\bregardless of (?:race|age|gender|sex|religion|colou?r|national|disability|sexual)/,
  /\b(?:race|religion|colou?r|national origin|sexual orientation|gender identity|veteran status|protected (?:veteran|characteristic|status))\b/,
  /\bwithout (?:regard|discrimination)\b/,
  /\b(?:discriminat\w*|diversit\w* (?:and|&) inclusi\w*)\b.*\b(?:employer|employeur|candidat|applicant|hiring)/,
  /\b(?:privacy (?:policy|notice|statement)|data protection|gdpr|rgpd|personal data|donnees personnelles|politique de confidentialite)\b/,
  /\b(?:how to apply|apply (?:now|today|here|online|via|through)|to apply,|submit (?:your|a) (?:cv|resume|application)|send (?:your|us your) (?:cv|resume)|click (?:here|apply))\b/,
  /\b(?:postulez|postuler|envoyez (?:votre|nous votre) (?:cv|candidature)|candidatures? (?:a|par|via)|pour candidater)\b/,
  /\b(?:reasonable accommodation|amenagements? raisonnables?|accommodations? (?:during|in) the (?:hiring|recruitment|application))\b/,
  /\b(?:covid|vaccinat\w*|vaccin\w*)\b/,
  /(?:^|\s)#[a-z]{1,4}-?[a-z0-9]+\b/,
  /\b(?:recruitment agencies|agences? de recrutement|unsolicited (?:resumes|cvs))\b/,
];

/** Whether a sentence is boilerplate rather than about the job. */
export function isBoilerplate(sentence: string): boolean {
  const folded = foldText(sentence);
  return BOILERPLATE.some((pattern) => pattern.test(folded));
}
