/**
 * Language detection for offers whose source declares none, or declares one their text plainly
 * contradicts (resolveLanguage): stopword counting plus a few letter hints. Pure, dependency-free and fast; good enough to tell EN/FR/DE/ES/PT/NL/IT apart on
 * a sentence or more. Returns 'und' (undetermined) when the evidence is thin or tied.
 */

export type LanguageCode = 'en' | 'fr' | 'de' | 'es' | 'pt' | 'nl' | 'it' | 'und';

/**
 * Frequent function words, plus a few job-ad words. A word listed for several languages counts for
 * each, so shared words ("de", "in") cancel out and only the distinctive ones decide.
 */
const STOPWORDS: Record<Exclude<LanguageCode, 'und'>, string> = {
  en: 'the and of to in is you that for with are on as be will our we your this have it an or at from by can who what which would should been has not experience team about their they',
  fr: 'le la les des et est un une du pour dans que qui sur avec nous vous pas au aux ce cette ou par plus sont être votre vos nos notre leur mais comme aussi très équipe expérience tu ton ta tes',
  de: 'der die das und ist nicht mit für auf ein eine einen einem den dem zu von sie wir ihr ihre sich auch als bei oder werden wird über unser unsere du dich dein deine kenntnisse erfahrung sind suchen',
  es: 'el los las y es en del con por para una un que se su sus como más pero nuestro nuestra nuestros somos tienes experiencia equipo trabajo está también muy buscamos',
  pt: 'o os as e é em do da dos das com para um uma que não na no nas nos você nosso nossa experiência equipe trabalho são também pelo pela mais conhecimento buscamos',
  nl: 'de het een en van is in op voor met niet zijn je jij wij we ons onze die dat bij ook naar als wordt worden ervaring kennis jouw heb hebt zoeken',
  it: 'il lo la gli le di e è che per con un una del della dei delle nel nella sono non più anche come nostro nostra esperienza lavoro siamo alla cerchiamo',
};

/** Each stopword with the languages it belongs to ("de" is Dutch and Spanish), in the order above. */
const LANGUAGES_OF = new Map<string, LanguageCode[]>();
for (const [language, words] of Object.entries(STOPWORDS) as Array<[LanguageCode, string]>) {
  for (const word of new Set(words.split(' '))) LANGUAGES_OF.set(word, [...(LANGUAGES_OF.get(word) ?? []), language]);
}

/** Letters and spellings that mostly belong to one language; each hit is worth half a word. */
const HINTS: Array<[LanguageCode, RegExp]> = [
  ['fr', /[èêàùœç]|\b(?:l|d|qu|n|j|c|s)['’]\p{L}/giu],
  ['fr', /é/gi],
  ['de', /[äöüß]/gi],
  ['es', /[ñ¿¡]|ción\b/gi],
  ['pt', /[ãõ]|ção\b|ções\b/gi],
  ['nl', /\bij|ij\b|\bgeen\b/gi],
  ['it', /\b(?:dell|nell|all|un)['’]\p{L}|zione\b/giu],
];

const HINT_WEIGHT = 0.5;
/** Less evidence than this (about two function words) is not a language. */
const MIN_SCORE = 2;
/** Long texts say the same thing again and again: the head is enough. */
const MAX_CHARS = 20_000;

function languageScores(text: string): Map<LanguageCode, number> {
  const sample = text.slice(0, MAX_CHARS).toLowerCase();
  const scores = new Map<LanguageCode, number>();
  const add = (language: LanguageCode, points: number): void => {
    scores.set(language, (scores.get(language) ?? 0) + points);
  };

  for (const word of sample.match(/\p{L}+/gu) ?? []) {
    for (const language of LANGUAGES_OF.get(word) ?? []) add(language, 1);
  }
  for (const [language, pattern] of HINTS) {
    const hits = sample.match(pattern)?.length ?? 0;
    if (hits > 0) add(language, hits * HINT_WEIGHT);
  }

  return scores;
}

function bestOf(scores: Map<LanguageCode, number>): [LanguageCode, number] | undefined {
  const [best, second] = [...scores].sort((a, b) => b[1] - a[1]);
  if (!best || best[1] < MIN_SCORE || (second && second[1] === best[1])) return undefined;
  return best;
}

export function detectLanguage(text: string): LanguageCode {
  return bestOf(languageScores(text))?.[0] ?? 'und';
}

/** Evidence that overrules a declared language: a dozen function words or more… */
const DECISIVE_SCORE = 12;
/** …at least this many times what the declared language scores. */
const DECISIVE_RATIO = 3;

/**
 * The language of an offer: the one its source declares, unless its own text plainly says
 * another. Pages declare the site's language rather than the posting's (`<html lang="en">` on an
 * English job board hosting a French offer, which a JSON-LD without `inLanguage` falls back to),
 * so a declaration gives way to detection when the text is long and one-sided enough to be sure.
 * A declared language the detector does not know (Swedish, Polish…) is always kept.
 */
export function resolveLanguage(declared: string | undefined, text: string): string {
  if (!declared) return detectLanguage(text);
  if (!(declared in STOPWORDS)) return declared;
  const scores = languageScores(text);
  const best = bestOf(scores);
  if (!best || best[0] === declared) return declared;
  const decisive = best[1] >= DECISIVE_SCORE && best[1] >= DECISIVE_RATIO * (scores.get(declared as LanguageCode) ?? 0);
  return decisive ? best[0] : declared;
}
