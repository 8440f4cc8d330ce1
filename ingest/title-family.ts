import { normalizePhrase } from '../src/catalog/normalize.ts';

/**
 * Title families: the job a title names, whatever the employer dressed it in, so that offers
 * outside the role catalogue can be grouped and compared ("Barista - Morning Shift", "Senior
 * Barista (m/f/d)" and "Baristas" are all the family `barista`).
 *
 * A family is a key of folded, singular, masculine-form words (the form questions are matched
 * in, see `titleWords`) plus a label for people (the title's own words, cased as written).
 * Pure and language-light on purpose: it must work on job families nobody catalogued, so it only
 * removes what is never the job itself — decorations, gender markers, seniority, numbers.
 */

export interface TitleFamily {
  /** Folded words, e.g. "staff nurse": what offers are grouped and questions matched by. */
  key: string;
  /** The title's own words for it, e.g. "Staff Nurse". */
  label: string;
}

/** Gender and diversity markers of job titles: (m/f/d), H/F, F/H, m/w/d, M/F/X… */
const GENDER_MARKER = /(?<![\p{L}\p{N}])(?:[hfmwdx]\s*\/\s*[hfmwdx](?:\s*\/\s*[hfmwdx])?|all genders?|tous genres)(?![\p{L}\p{N}])/giu;
/** Bracketed decorations: "(m/f/d)", "[Remote]", "(Contract, 6 months)", "(e)". */
const BRACKETS = /\([^()]*\)|\[[^[\]]*\]|\{[^{}]*\}/g;
/** An announcement around the title, in English or French. */
const HIRING = /\b(?:recrute|recherche|cherche|is hiring|are hiring|hiring|seeks|is looking for|are looking for)\b\s*:?\s*(.*)$/iu;

/** Where a title's job ends and its decorations (shift, team, place, company) begin. */
const SEPARATOR = /\s+[-–—|•·:]\s+|\s*[|•]\s*|,\s+|\s+(?:at|@|chez|for|pour)\s+(?=\p{Lu})/u;

/** "Conducteur·rice", "Chargé.e", "Infirmier(ère)": the label keeps the base word. */
const INCLUSIVE_ENDING = /(?<=\p{L})(?:[·•.](?:e|se|euse|ice|rice|ne|le|ère)(?:[·•.]?s)?|\((?:e|se|euse|ice|rice|ne|ère)\))(?!\p{L})/gu;

/**
 * Level words, stripped wherever they stand. Manager, head, chief and staff are not here: they
 * change the job ("Restaurant Manager", "Staff Nurse"), and the catalogue's seniority levels
 * still record them for catalogued roles.
 */
const LEVEL_WORDS = new Set([
  'junior', 'jr', 'senior', 'sr', 'mid', 'middle', 'intermediate', 'entry', 'level', 'experienced', 'confirme', 'confirmee', 'experimente',
  'experimentee', 'debutant', 'debutante', 'trainee', 'principal', 'principale', 'i', 'ii', 'iii', 'iv', 'v',
]);
/** Level words only when a job word follows them ("Lead Barista" is a barista; "Lead" alone is kept). */
const LEADING_LEVEL_WORDS = new Set(['lead', 'chief', 'head']);
/** Words that decorate rather than name: "Barista job", "Nurse position", "Offre : …". */
const FILLER_WORDS = new Set(['job', 'jobs', 'position', 'positions', 'role', 'roles', 'vacancy', 'opening', 'poste', 'offre', 'emploi', 'new', 'urgent', 'nouveau']);
/** Articles and counts before the job ("un·e développeur·se", "deux développeurs", "a Barista"), never after it. */
const LEADING_ARTICLES = new Set(['a', 'an', 'the', 'un', 'une', 'le', 'la', 'les', 'l', 'des', 'deux', 'trois', 'ou', 'or', 'one', 'two']);

/** The family of a job title; undefined when nothing of the title names a job. */
export function titleFamily(title: string, company?: string): TitleFamily | undefined {
  const companyKey = company ? normalizePhrase(company) : '';
  // "Acme recrute : un·e développeur·se", "Acme is hiring a Barista": the job is what follows.
  const hiring = HIRING.exec(title);
  const job = hiring && /\p{L}/u.test(hiring[1]!) ? hiring[1]! : title;
  const cleaned = dropFeminineAlternative(job.replace(GENDER_MARKER, ' ').replace(BRACKETS, ' '));
  // The first part that is not the company's name: "Acme — Barista" and "Barista — Acme" alike.
  const parts = cleaned
    .split(SEPARATOR)
    .map((part) => part.trim())
    .filter((part) => part && normalizePhrase(part) !== companyKey);
  for (const part of parts) {
    const words = labelWords(part);
    const key = titleWords(words.join(' ')).join(' ');
    if (key) return { key, label: words.join(' ') };
  }
  return undefined;
}

/** The folded words of a role as a person names it ("data analysts", "Contrôleuse") — the form family keys are in. */
export function titleWords(text: string): string[] {
  return normalizePhrase(dropFeminineAlternative(text))
    .split(' ')
    .filter((word) => word && !FILLER_WORDS.has(word))
    .map(foldWord);
}

/** The words of a title part that name the job, as written, without level, filler words and numbers. */
function labelWords(part: string): string[] {
  const words = dropFeminineAlternative(part)
    .split(/[\s/]+/)
    .map((word) => word.replace(INCLUSIVE_ENDING, '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((word) => word && /\p{L}/u.test(word));
  const kept: string[] = [];
  words.forEach((word, i) => {
    const folded = normalizePhrase(word);
    if (!folded || LEVEL_WORDS.has(folded) || FILLER_WORDS.has(folded)) return;
    if (kept.length === 0 && (LEADING_ARTICLES.has(folded) || LEADING_ARTICLES.has(folded.split(' ')[0]!))) return;
    if (LEADING_LEVEL_WORDS.has(folded) && kept.length === 0 && i < words.length - 1) return;
    kept.push(word);
  });
  return kept;
}

/**
 * "Contrôleur/Contrôleuse", "Serveur ou serveuse", "Concepteur ou conceptrice de contenu",
 * "développeur Django ou une développeuse Django": the alternative is the first form's feminine
 * (or the same words), so only the first is kept.
 */
function dropFeminineAlternative(text: string): string {
  const same = (a: string, b: string) => titleWordsOf(a).filter((w) => !LEADING_ARTICLES.has(w)).join(' ') === titleWordsOf(b).filter((w) => !LEADING_ARTICLES.has(w)).join(' ');
  const phrases = text.split(/\s+(?:ou|or)\s+(?:une?\s+|an?\s+)?/iu);
  const whole = phrases.length === 2 && same(phrases[0]!, phrases[1]!) ? phrases[0]! : text;
  return whole.replace(/(\p{L}{4,})\s*(?:\/|\b(?:ou|or)\b)\s*(?:une?\s+|an?\s+)?(\p{L}+)/giu, (all, first: string, second: string) =>
    foldWord(first) === foldWord(second) ? first : all,
  );
}

function titleWordsOf(text: string): string[] {
  return normalizePhrase(text).split(' ').filter(Boolean).map(foldWord);
}

/**
 * One form per word: singular, and for French titles the masculine form, so that "Infirmières",
 * "infirmier" and "Infirmier(ère)" meet. Rules are suffix rewrites that only fire on long words,
 * where they are reliable; a short word is left as it is.
 */
export function foldWord(word: string): string {
  let folded = FOLDED.get(word);
  if (folded === undefined) {
    // Bounded: a language's words are a few tens of thousands, but text is open-ended (ids, numbers).
    if (FOLDED.size >= FOLDED_MAX) FOLDED.clear();
    folded = foldOnce(word);
    FOLDED.set(word, folded);
  }
  return folded;
}

/**
 * Folded words, remembered: mining and quoting fold the same few thousand words of a group's
 * offers over and over (three quarters of tokenising time went to these rewrites).
 */
const FOLDED = new Map<string, string>();
const FOLDED_MAX = 200_000;

function foldOnce(word: string): string {
  let w = normalizePhrase(word);
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(?:ch|sh|x|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (/[^su]s$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5) {
    w = w
      .replace(/euse$/, 'eur')
      .replace(/(?<=[tv])rice$/, 'eur')
      .replace(/iere$/, 'ier')
      .replace(/ienne$/, 'ien')
      .replace(/(?<=[gl])ere$/, 'er')
      .replace(/ante$/, 'ant')
      .replace(/ee$/, 'e');
  }
  // A final mute "e" goes too, so that singular and plural meet whichever rule the plural took
  // ("ruche" and "ruches", "match" and "matches" alike).
  return w.length > 4 && w.endsWith('e') ? w.slice(0, -1) : w;
}
